#!/usr/bin/env python3
"""Runs ct_valgrind under valgrind memcheck and asserts what it must and must not report.

usage: run_ct_valgrind.py VALGRIND CT_VALGRIND_EXE

  ct        cbc_mte_check with the MAC, padding and padding_length marked undefined: no report
  pipeline  whole seal/open on the sse path: no report
  naive     a deliberately branchy check: memcheck must report a conditional jump on the secret
            bytes, which shows that the first run could have failed
"""
import subprocess
import sys

ERROR_EXIT = 99
BRANCH_REPORT = "Conditional jump or move depends on uninitialised value"


def run(valgrind, exe, mode):
    cmd = [valgrind, "--tool=memcheck", f"--error-exitcode={ERROR_EXIT}", "--num-callers=12", exe, mode]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    return p.returncode, p.stdout, p.stderr


def main():
    valgrind, exe = sys.argv[1], sys.argv[2]
    failures = []

    for mode in ("ct", "pipeline"):
        rc, out, err = run(valgrind, exe, mode)
        sys.stdout.write(out)
        if rc != 0 or BRANCH_REPORT in err or "uninitialised" in err:
            failures.append(f"{mode}: exit {rc}, memcheck must be silent")
            sys.stdout.write(err[-6000:])
        else:
            print(f"{mode}: memcheck silent")

    rc, out, err = run(valgrind, exe, "naive")
    sys.stdout.write(out)
    if rc == 2:
        failures.append("naive: wrong verdicts")
    if rc != ERROR_EXIT or BRANCH_REPORT not in err:
        failures.append(f"naive: exit {rc}, expected memcheck to report a branch on secret bytes")
        sys.stdout.write(err[-6000:])
    else:
        print(f"naive: memcheck reported {err.count(BRANCH_REPORT)} branch(es) on secret bytes, as it must")

    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("constant-time check: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
