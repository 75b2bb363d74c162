# Exit statuses.

#### command not found 127
no_such_cmd_xyz 2>/dev/null
echo $?

#### command not found path 127
./no_such_file_xyz 2>/dev/null
echo $?

#### not executable 126
echo 'echo hi' > script
./script 2>/dev/null
echo $?

#### directory as command 126
mkdir d
./d 2>/dev/null
echo $?

#### executable script runs
printf '#!/bin/sh\necho from-script\n' > s
chmod +x s
./s

#### executable script exit status
printf '#!/bin/sh\nexit 7\n' > s
chmod +x s
./s
echo $?

#### executable without shebang runs
printf 'echo no-shebang\n' > s
chmod +x s
./s

#### script status is last command
echo x
false

#### script status exit explicit
exit 42

#### exit in function status
f() { exit 6; }
f

#### exit negative wraps bash
## bash-only
exit -1

#### exit with non numeric bash
## bash-only
exit abc

#### status 128 plus signal
sleep 5 &
kill -9 $!
wait $!
echo $?

#### status 128 plus hup
sleep 5 &
kill -HUP $!
wait $!
echo $?

#### external false status
/bin/false
echo $?

#### grep no match status 1
echo abc | grep z
echo $?

#### grep error status 2
grep x no_such_file_xyz 2>/dev/null
echo $?

#### status of exit in pipeline
(exit 3) | (exit 4)
echo $?

#### status of empty command subst
$(true)
echo $?

#### status of empty command subst failing
$(exit 3)
echo $?

#### status of assignment only with subst
a=$(exit 2) b=1
echo $?

#### status of redirection only
> f
echo $?

#### status after syntax-valid builtin failure
cd /no/such/dir 2>/dev/null
[ $? -gt 0 ] && echo failed

#### status of negated 127
! no_such_cmd_xyz 2>/dev/null
echo $?

#### status preserved across echo of it
false
s=$?
echo ok
echo $s

#### exit status in and-list after not found
no_such_cmd_xyz 2>/dev/null || echo "fallback $?"

#### exit in trap overrides
trap 'exit 0' EXIT
false

#### subshell exit code large
(exit 255)
echo $?

#### command not found in pipeline stage
no_such_cmd_xyz 2>/dev/null | cat
echo $?
echo x | no_such_cmd_xyz 2>/dev/null
echo $?

#### exit status of while with failing condition
while false; do :; done
echo $?

#### exit status of case no match after failure
false
case a in b) ;; esac
echo $?

#### permission denied via PATH lookup bash
## bash-only
mkdir bin
printf 'echo hi\n' > bin/mycmd
PATH="$PWD/bin:$PATH"
mycmd 2>/dev/null
echo $?
