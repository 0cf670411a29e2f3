package org.selfsup4j.speech.io;

/**
 * How one sample is stored in a WAV data chunk.
 *
 * <p>Integer encodings are scaled to floats in [-1, 1) by dividing by 2^(bits-1) (8-bit PCM is
 * unsigned with offset 128, as the WAV format prescribes); float encodings are taken as they are.
 */
public enum SampleEncoding {
    /** 8-bit unsigned PCM (WAVE_FORMAT_PCM). */
    PCM_U8(8, false),
    /** 16-bit signed little-endian PCM. */
    PCM_S16(16, false),
    /** 24-bit signed little-endian PCM (packed, three bytes per sample). */
    PCM_S24(24, false),
    /** 32-bit signed little-endian PCM. */
    PCM_S32(32, false),
    /** 32-bit IEEE float (WAVE_FORMAT_IEEE_FLOAT). */
    FLOAT_32(32, true),
    /** 64-bit IEEE float (WAVE_FORMAT_IEEE_FLOAT). */
    FLOAT_64(64, true);

    private final int bits;
    private final boolean floating;

    SampleEncoding(int bits, boolean floating) {
        this.bits = bits;
        this.floating = floating;
    }

    /** @return bits per sample in the container */
    public int bits() {
        return bits;
    }

    /** @return bytes per sample in the container */
    public int bytes() {
        return bits / 8;
    }

    /** @return true for IEEE float encodings */
    public boolean isFloat() {
        return floating;
    }

    /**
     * @param floating whether the format tag says IEEE float
     * @param bits bits per sample
     * @return the encoding, or null when the combination is not supported
     */
    static SampleEncoding of(boolean floating, int bits) {
        for (SampleEncoding e : values()) {
            if (e.floating == floating && e.bits == bits) {
                return e;
            }
        }
        return null;
    }
}
