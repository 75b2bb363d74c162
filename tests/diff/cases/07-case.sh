# case statements.

#### case literal match
case abc in abc) echo matched;; esac

#### case no match status zero
false
case x in y) echo no;; esac
echo $?

#### case star default
case zzz in a) echo a;; *) echo default;; esac

#### case alternatives
for w in apple pear kiwi; do
  case $w in apple|pear) echo "fruit $w";; *) echo "other $w";; esac
done

#### case glob star prefix
case foo.txt in *.txt) echo text;; *.sh) echo script;; esac

#### case question mark
case ab in ?) echo one;; ??) echo two;; esac

#### case bracket class
case b in [abc]) echo in-class;; esac

#### case bracket negation
case x in [!abc]) echo not-abc;; esac

#### case bracket range
case 5 in [0-9]) echo digit;; esac

#### case character class name
case A in [[:upper:]]) echo upper;; esac

#### case quoted pattern literal star
case '*' in "*") echo star;; esac
case abc in "*") echo no;; *) echo glob-not-used;; esac

#### case quoted variable pattern literal
p='a*'
case abc in "$p") echo literal;; *) echo nomatch;; esac

#### case unquoted variable pattern globs
p='a*'
case abc in $p) echo glob;; esac

#### case escaped star
case 'a*' in a\*) echo escaped;; esac

#### case first match wins
case ab in a*) echo first;; *b) echo second;; esac

#### case leading paren
case x in (x) echo paren;; esac

#### case empty body
case x in x) ;; esac
echo $?

#### case last item without dsemi
case x in
  x) echo last
esac

#### case multiline bodies
case two in
  one)
    echo 1
    ;;
  two)
    echo 2
    echo still-2
    ;;
esac

#### case status from body
case x in x) (exit 3);; esac
echo $?

#### case word expansion
v=hello
case "$v world" in "hello w"*) echo expanded;; esac

#### case fallthrough bash
## bash-only
case a in a) echo a;& b) echo b;; c) echo c;; esac

#### case continue matching bash
## bash-only
case abc in a*) echo starts-a;;& *c) echo ends-c;;& x*) echo x;; esac

#### case fallthrough chain bash
## bash-only
case 1 in 1) echo one;& 2) echo two;& 3) echo three;; esac

#### case empty string match
case "" in "") echo empty;; esac

#### case in loop with break
for w in a b stop c; do
  case $w in stop) break;; esac
  echo $w
done

#### case pattern with spaces quoted
case "a b" in "a b") echo spaced;; esac

#### case on command substitution
case $(echo yes) in yes) echo y;; esac

#### case dot star patterns
for f in x.tar.gz y.zip z; do
  case $f in *.tar.*) echo "$f tarball";; *.*) echo "$f ext";; *) echo "$f plain";; esac
done

#### case newline before in
case x
in x) echo ok;; esac

#### case reserved words as patterns
case if in if) echo kw;; esac

#### case with variable in pattern alternation
a=foo; b=bar
case bar in $a|$b) echo var-alt;; esac
