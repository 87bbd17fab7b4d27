#!/usr/bin/python3
"""Runs SharpBan's annotated sample logs through the real fail2ban (1.0.x) filter engine.

usage: check-samples-with-fail2ban.py CONFIG_DIR SAMPLES_DIR [FILTER ...]

Sample log format: a line "# failJSON: {...}" describes the log line that follows it:
  "match": true/false, "host": failure id, "time": local ISO time (checked when given),
  any other key (e.g. "user"): the captured group of that name.
"# filterOptions: {...}" (or a list of such objects) makes the following lines run with those
filter options (e.g. {"mode": "aggressive"}); every variant in the list must give the same result.
Exit status 0 when every annotation holds. Time is fixed at 2005-08-14 12:00:00 in TZ=Europe/Zurich
(unix 1124013600), as in fail2ban's own sample tests and our SampleSuite, so year-less syslog dates
resolve to 2005 and dates with an explicit zone are compared in the same local time as the C# suite.
"""
import datetime, json, os, re, sys, time

os.environ["TZ"] = "Europe/Zurich"
time.tzset()

sys.path.insert(0, "/usr/lib/python3/dist-packages")
from fail2ban.client.filterreader import FilterReader  # noqa: E402
from fail2ban.server.filter import Filter  # noqa: E402
from fail2ban.server.mytime import MyTime  # noqa: E402

NOW = datetime.datetime(2005, 8, 14, 12, 0, 0)
MyTime.setTime(time.mktime(NOW.timetuple()))

ANNOTATION = re.compile(r"^#+ ?(failJSON|filterOptions):(.+)$")


def load_filter(confdir, name, opts):
    flt = Filter(None)
    flt.returnRawHost = True
    flt.checkAllRegex = True
    flt.checkFindTime = False
    flt.active = True
    reader = FilterReader(name, "jail", dict(opts or {}), basedir=confdir)
    if not reader.read():
        raise SystemExit("cannot read filter %s from %s" % (name, confdir))
    reader.getOptions({})
    for cmd in reader.convert():
        values = cmd[3] if cmd[0] == "multi-set" else [cmd[3]]
        for value in values:
            key = cmd[2]
            if key == "prefregex":
                flt.prefRegex = value
            elif key == "addfailregex":
                flt.addFailRegex(value)
            elif key == "addignoreregex":
                flt.addIgnoreRegex(value)
            elif key == "maxlines":
                flt.setMaxLines(value)
            elif key == "datepattern":
                flt.setDatePattern(value)
    return flt


def check_file(confdir, name, path):
    errors, cases = [], 0
    variants = [({}, load_filter(confdir, name, {}))]
    expect = None
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            m = ANNOTATION.match(line)
            if m:
                data = json.loads(m.group(2))
                if m.group(1) == "filterOptions":
                    data = data if isinstance(data, list) else [data]
                    variants = [(o, load_filter(confdir, name, o)) for o in data]
                else:
                    expect = data
                continue
            if not line.strip() or line.startswith("#"):
                continue
            if expect is None:
                errors.append("%s:%d: log line without a failJSON annotation" % (path, lineno))
                continue
            cases += 1
            for opts, flt in variants:
                where = "%s:%d%s" % (path, lineno, " %s" % json.dumps(opts) if opts else "")
                found = [r for r in (flt.processLine(line) or [])
                         if r[1] is not None and not r[3].get("nofail")]
                if not found:
                    if expect.get("match"):
                        errors.append("%s: should match but did not: %s" % (where, line))
                    continue
                if not expect.get("match"):
                    errors.append("%s: matched but should not (fid %s): %s" % (where, found[0][1], line))
                    continue
                if len(found) > 1:
                    errors.append("%s: %d regexes matched" % (where, len(found)))
                _, fid, ftime, fail = found[0]
                for key, want in expect.items():
                    if key in ("match", "time", "desc"):
                        continue
                    got = fail.get(key)
                    if got is None and key == "host":
                        got = fid
                    if key == "attempts":
                        got = len(fail.get("matches", []))
                    if got != want:
                        errors.append("%s: %s is %r, expected %r" % (where, key, got, want))
                if "time" in expect:
                    t = expect["time"]
                    fmt = "%Y-%m-%dT%H:%M:%S.%f" if "." in t else "%Y-%m-%dT%H:%M:%S"
                    want = datetime.datetime.strptime(t, fmt)
                    want = time.mktime(want.timetuple()) + want.microsecond / 1e6
                    if abs(ftime - want) > 1e-3:
                        errors.append("%s: time %s, expected %s" % (
                            where, datetime.datetime.fromtimestamp(ftime).isoformat(), t))
            expect = None
    return cases, errors


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    confdir, samples = os.path.abspath(argv[1]), argv[2]
    names = argv[3:] or sorted(n for n in os.listdir(samples) if not n.startswith("."))
    failed = 0
    for name in names:
        cases, errors = check_file(confdir, name, os.path.join(samples, name))
        for e in errors:
            print("  " + e)
        print("%-18s %3d annotated lines, %s" % (name, cases, "OK" if not errors else "%d ERRORS" % len(errors)))
        failed += bool(errors) or cases == 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
