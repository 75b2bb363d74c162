# Tilde expansion and brace expansion.

#### tilde alone is home
[ ~ = "$HOME" ] && echo home

#### tilde slash path
[ ~/sub = "$HOME/sub" ] && echo ok

#### tilde with custom HOME
HOME=/custom/home
echo ~ ~/x

#### tilde quoted not expanded
echo "~" '~' \~

#### tilde in middle not expanded
echo a~b a/~ ~b~

#### tilde after equals in argument bash
## bash-only
HOME=/h
echo x=~ --opt=~/f

#### tilde in assignment expanded
HOME=/h
x=~/dir
echo $x

#### tilde after colon in assignment
HOME=/h
PATHLIKE=/a:~/b
echo $PATHLIKE

#### tilde root user
[ ~root = "$(cd ~root 2>/dev/null && pwd)" ] && echo root-home-ok

#### tilde unknown user unchanged
echo ~no_such_user_xyz

#### tilde in default expansion
HOME=/h
unset v
echo ${v:-~/def}

#### tilde plus is pwd bash
## bash-only
[ ~+ = "$PWD" ] && echo pwd

#### brace list
## bash-only
echo {a,b,c}

#### brace with prefix suffix
## bash-only
echo pre{1,2}post

#### brace numeric range
## bash-only
echo {1..5}

#### brace reverse range
## bash-only
echo {5..1}

#### brace letter range
## bash-only
echo {a..e}

#### brace step
## bash-only
echo {1..10..2} {10..1..3}

#### brace zero padded
## bash-only
echo {01..03}

#### brace nested
## bash-only
echo {a,b{1,2},c}

#### brace cartesian
## bash-only
echo {a,b}{1,2}

#### brace empty element
## bash-only
echo x{,y}z

#### brace single element literal
echo {a} {}

#### brace quoted not expanded
echo "{a,b}" '{1..3}' \{a,b\}

#### brace with variable no expansion of range
n=3
echo {1..$n}

#### brace in for loop
## bash-only
for i in {1..3}; do echo i$i; done

#### brace mkdir touch
## bash-only
mkdir -p d/{x,y}
touch d/x/{1,2}.txt
find d -type f | sort

#### brace negative range
## bash-only
echo {-2..2}

#### brace comma in quotes inside
## bash-only
echo {"a,b",c}

#### brace before glob
## bash-only
touch a1 b1
echo {a,b}*
