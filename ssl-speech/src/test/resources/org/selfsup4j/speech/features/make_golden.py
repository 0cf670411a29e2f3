#!/usr/bin/python3
"""Golden values for org.selfsup4j.speech.features and Resampler tests.

Run from anywhere with Debian's python3 (torch 1.13, torchaudio 0.13):
    /usr/bin/python3 make_golden.py [FSDD_RECORDINGS_DIR]
Writes, next to this script:
  synthetic_16k.wav    0.5 s, 16-bit PCM mono, a deterministic chirp + tones + LCG noise
  golden_synthetic.txt features of synthetic_16k.wav
  golden_fsdd.txt      features of FSDD 3_jackson_0.wav (8 kHz), if the folder is given/found
Format: blocks of "# name rows cols" followed by rows lines of cols values (%.9g).
WAVs are read with Python's own `wave` module (not torchaudio) and scaled by 1/32768 like
torchaudio.load / soundfile do.
"""
import math
import os
import sys
import wave

import numpy as np
import torch
import torchaudio
import torchaudio.compliance.kaldi as kaldi
import torchaudio.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def synthetic(n, sr):
    t = np.arange(n, dtype=np.float64) / sr
    x = 0.3 * np.sin(2 * np.pi * (200 * t + 1500 * t * t))  # chirp 200 Hz -> 1700 Hz
    x += 0.2 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 3100 * t)
    state = 12345
    noise = np.empty(n)
    for i in range(n):  # LCG so the noise does not depend on numpy's RNG
        state = (1103515245 * state + 12345) % 2147483648
        noise[i] = state / 2147483648.0 - 0.5
    x += 0.02 * noise
    x *= np.minimum(1.0, np.minimum(t / 0.05, (t[-1] - t) / 0.05 + 0.2))  # fade in, partial fade out
    return np.round(x * 32767).astype(np.int16)


def write_wav(path, pcm16, sr):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm16.tobytes())


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        sr = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return data.astype(np.float64) / 32768.0, sr


def blocks(out, name, arr):
    a = np.asarray(arr, dtype=np.float64)
    if a.ndim == 1:
        a = a[None, :]
    out.append("# %s %d %d" % (name, a.shape[0], a.shape[1]))
    for row in a:
        out.append(" ".join("%.9g" % v for v in row))


def features(x64, sr, out):
    for dtype, tag in ((torch.float32, "f32"), (torch.float64, "f64")):
        w = torch.tensor(x64, dtype=dtype)[None, :]
        blocks(out, "fbank80_" + tag, kaldi.fbank(w, sample_frequency=sr, num_mel_bins=80, dither=0.0))
        blocks(out, "fbank23_" + tag, kaldi.fbank(w, sample_frequency=sr, dither=0.0))
        m = kaldi.mfcc(w, sample_frequency=sr, use_energy=False, dither=0.0)
        blocks(out, "mfcc_" + tag, m)
        # HuBERT simple_kmeans/dump_mfcc_feature.py: transpose to (freq, time), deltas twice, concat.
        mt = m.transpose(0, 1)
        d1 = F.compute_deltas(mt)
        d2 = F.compute_deltas(d1)
        blocks(out, "hubert39_" + tag, torch.cat([mt, d1, d2], dim=0).transpose(0, 1))
    w = torch.tensor(x64, dtype=torch.float64)[None, :]
    blocks(out, "fbank_options_f64", kaldi.fbank(
        w, sample_frequency=sr, num_mel_bins=40, dither=0.0, snip_edges=False, window_type="hamming",
        use_energy=True, raw_energy=False, preemphasis_coefficient=0.5, low_freq=60.0, high_freq=-200.0,
        energy_floor=0.0, frame_length=20.0, frame_shift=12.5))
    blocks(out, "mfcc_energy_f64", kaldi.mfcc(
        w, sample_frequency=sr, dither=0.0, use_energy=True, num_ceps=20, num_mel_bins=30,
        cepstral_lifter=0.0, window_type="blackman", round_to_power_of_two=False, frame_length=25.0))


def main():
    sr = 16000
    pcm = synthetic(sr // 2, sr)
    wav = os.path.join(HERE, "synthetic_16k.wav")
    write_wav(wav, pcm, sr)
    x, sr = read_wav(wav)
    out = []
    features(x, sr, out)
    # Resampling, float32 like a typical user: the first 0.1 s.
    seg = torch.tensor(x[:1600], dtype=torch.float32)[None, :]
    blocks(out, "resample_16000_8000", F.resample(seg, 16000, 8000))
    blocks(out, "resample_16000_22050_kaiser", F.resample(
        seg, 16000, 22050, resampling_method="kaiser_window", lowpass_filter_width=8, rolloff=0.95))
    with open(os.path.join(HERE, "golden_synthetic.txt"), "w") as f:
        f.write("\n".join(out) + "\n")

    fsdd = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../../../../shared/datasets/fsdd/recordings")
    path = os.path.join(fsdd, "3_jackson_0.wav")
    if os.path.exists(path):
        x, sr = read_wav(path)
        out = []
        blocks(out, "waveform_head", x[:64])
        blocks(out, "num_samples", [len(x)])
        features(x, sr, out)
        seg = torch.tensor(x, dtype=torch.float32)[None, :]
        blocks(out, "resample_8000_16000", F.resample(seg, 8000, 16000))
        with open(os.path.join(HERE, "golden_fsdd.txt"), "w") as f:
            f.write("\n".join(out) + "\n")
    else:
        print("FSDD not found at", path, "- golden_fsdd.txt not regenerated")
    print("torch", torch.__version__, "torchaudio", torchaudio.__version__)


if __name__ == "__main__":
    main()
