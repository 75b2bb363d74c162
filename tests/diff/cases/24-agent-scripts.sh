# Realistic agent-style scripts.

#### build and test one-liner
mkdir -p build && cd build && echo 'ok' > result && cat result && cd .. && echo done

#### failing step stops and-chain
mkdir src && cd src && false && echo never
echo "status $?"

#### find and xargs grep
mkdir -p pkg/sub
echo 'import foo' > pkg/a.py
echo 'import bar' > pkg/b.py
echo 'foo()' > pkg/sub/c.py
echo 'foo' > pkg/d.txt
find . -name '*.py' | sort | xargs grep -l foo

#### for over txt files
printf 'one\ntwo\n' > a.txt
printf 'three\n' > b.txt
for f in *.txt; do
  echo "$f: $(wc -l < "$f" | tr -d ' ') lines"
done

#### heredoc write file then cat
cat > config.json <<EOF
{
  "name": "demo",
  "home": "set"
}
EOF
cat config.json
grep -c '"' config.json

#### grep count or true
printf 'a\nb\n' > log
n=$(grep -c error log || true)
echo "errors: $n"

#### sed print range
seq 1 10 > nums
sed -n '1,3p' nums

#### sed substitute in place
printf 'hello world\n' > f
sed -i 's/world/there/' f
cat f

#### awk print second column
printf 'a 1\nb 2\nc 3\n' | awk '{print $2}'

#### awk sum
printf '3\n4\n5\n' | awk '{s+=$1} END {print s}'

#### sort uniq count top
printf 'b\na\nb\nc\nb\na\n' | sort | uniq -c | sort -rn | head -2 | tr -s ' ' | sed 's/^ //'

#### cut passwd-like
printf 'root:x:0\nuser:x:1000\n' > pw
cut -d: -f1 pw

#### tr upper
echo 'make me loud' | tr '[:lower:]' '[:upper:]'

#### tr delete and squeeze
echo 'a--b---c' | tr -s '-'
echo 'a1b2c3' | tr -d '0-9'

#### wc lines
printf 'x\ny\nz\n' > f
wc -l < f
wc -l f

#### head tail
seq 1 20 > f
head -n 2 f
tail -n 2 f

#### check file exists before use
if [ -f package.json ]; then echo has-pkg; else echo "no package.json"; fi

#### mkdir p and touch tree
mkdir -p src/lib tests
touch src/lib/mod.py tests/test_mod.py
find . -type f | sort

#### loop with counter and summary
pass=0 fail=0
for r in ok ok fail ok; do
  if [ "$r" = ok ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
done
echo "$pass passed, $fail failed"

#### function wrapper with status check
run() { echo "+ $*"; "$@"; }
run true && echo ok
run false || echo "failed with $?"

#### grep with regex and line numbers
printf 'def a():\n  pass\ndef b():\n' > m.py
grep -n '^def ' m.py

#### diff two files status
printf 'a\nb\n' > x
printf 'a\nc\n' > y
diff x y > d.out
echo "diff status $?"
cat d.out

#### tee to file and stdout
echo logged | tee out.log
cat out.log

#### xargs with n
printf '1 2 3 4\n' | xargs -n 2 echo

#### env var default for config
: "${BUILD_DIR:=build}"
mkdir -p "$BUILD_DIR"
[ -d build ] && echo "using $BUILD_DIR"

#### ls sorted listing
touch b a c
ls

#### basename dirname commands
basename /a/b/c.txt .txt
dirname /a/b/c.txt

#### find with exec
mkdir d
touch d/1.log d/2.log d/keep.txt
find d -name '*.log' -exec rm {} \;
ls d

#### nested command substitution in message
echo "files: $(ls | wc -l | tr -d ' ')"

#### read config key value lines
cat > env.cfg <<'EOF'
# comment
NAME=app
PORT=8080
EOF
grep -v '^#' env.cfg | while IFS== read -r k v; do echo "$k -> $v"; done

#### test script guard with exit code
check() { [ -n "$1" ] || { echo "missing arg" >&2; return 2; }; echo "arg $1"; }
check x
check 2>/dev/null
echo "rc=$?"

#### sort numeric and unique
printf '10\n2\n33\n2\n' | sort -n | uniq

#### paste and join columns
printf 'a\nb\n' > l
printf '1\n2\n' > r
paste -d, l r

#### printf table
for n in alpha beta; do printf '%-8s|%3d\n' $n ${#n}; done

#### stdin piped into script loop
## stdin: 3
## stdin: 1
## stdin: 2
sort -n | while read -r n; do echo "n=$n"; done
