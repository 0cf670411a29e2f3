"""Where a Java run's time goes, from a JFR recording: samples per selfsup4j method (the innermost
org.selfsup4j frame of each stack, so time in ND4J's native ops and the JDK counts for the selfsup4j
code that called them), Java execution and native-method samples together.

Run: java -XX:StartFlightRecording=filename=run.jfr,settings=profile ... ; then
     jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample run.jfr | python3 jfr_top.py [--thread main] [N]
"""
import collections
import re
import sys


def main():
    args = sys.argv[1:]
    thread = None
    if args[:1] == ["--thread"]:
        thread, args = args[1], args[2:]
    top = int(args[0]) if args else 30
    counts = collections.Counter()
    total = 0
    event = []
    for line in sys.stdin:
        if line.startswith("jdk.ExecutionSample") or line.startswith("jdk.NativeMethodSample"):
            total += record(event, thread, counts)
            event = []
        event.append(line)
    total += record(event, thread, counts)
    print(f"{total} samples" + (f" of thread {thread}" if thread else ""))
    for name, n in counts.most_common(top):
        print(f"{100.0 * n / max(total, 1):6.1f}%  {n:6d}  {name}")


def record(lines, thread, counts):
    if not lines:
        return 0
    text = "".join(lines)
    if thread is not None and f'"{thread}"' not in text:
        return 0
    frames = re.findall(r"^\s+([\w.$<>]+)\(", text, re.M)
    mine = next((f for f in frames if f.startswith("org.selfsup4j.")), None)
    counts[mine or (frames[0] if frames else "?")] += 1
    return 1


if __name__ == "__main__":
    main()
