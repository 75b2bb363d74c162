# Arithmetic expansion $((...)) and the (( )) command.

#### add sub mul
echo $((1 + 2)) $((10 - 3)) $((4 * 5))

#### division truncates
echo $((7 / 2)) $((-7 / 2))

#### modulo
echo $((7 % 3)) $((-7 % 3))

#### precedence mul over add
echo $((2 + 3 * 4)) $(((2 + 3) * 4))

#### unary minus plus
echo $((-5)) $((+5)) $((- -5))

#### logical not and bitwise not
echo $((!0)) $((!5)) $((~0)) $((~5))

#### comparisons
echo $((1 < 2)) $((2 < 1)) $((2 <= 2)) $((3 > 2)) $((3 >= 4)) $((1 == 1)) $((1 != 1))

#### logical and or
echo $((1 && 0)) $((1 && 2)) $((0 || 0)) $((0 || 3))

#### logical short circuit
x=0
echo $((0 && (x = 5))) $x
echo $((1 || (x = 6))) $x

#### bitwise ops
echo $((6 & 3)) $((6 | 3)) $((6 ^ 3))

#### shifts
echo $((1 << 4)) $((256 >> 2))

#### ternary
echo $((1 ? 10 : 20)) $((0 ? 10 : 20))

#### nested ternary
x=5
echo $((x < 3 ? 1 : x < 6 ? 2 : 3))

#### assignment op
x=1
: $((x = 7))
echo $x

#### compound assignment ops
x=10
echo $((x += 5)) $((x -= 3)) $((x *= 2)) $((x /= 4)) $((x %= 4))

#### bit assignment ops
x=12
echo $((x &= 10)) $((x |= 1)) $((x ^= 3)) $((x <<= 2)) $((x >>= 1))

#### variable without dollar
a=3 b=4
echo $((a * b)) $(($a * $b))

#### variable holding expression
## bash-only
e='2 + 3'
echo $((e * 2))

#### unset variable is zero
unset z
echo $((z + 1))

#### empty variable is zero
z=
echo $((z + 1))

#### hex and octal
echo $((0x1F)) $((0X10)) $((010)) $((0))

#### base notation bash
## bash-only
echo $((2#1010)) $((16#ff)) $((36#z)) $((8#17))

#### pre and post increment bash
## bash-only
i=5
echo $((i++)) $i $((++i)) $i $((i--)) $i $((--i)) $i

#### comma operator bash
## bash-only
echo $((x = 1, y = 2, x + y))

#### exponent bash
## bash-only
echo $((2 ** 10)) $((3 ** 0))

#### division by zero status
(echo $((1 / 0))) 2>/dev/null
[ $? -ne 0 ] && echo failed

#### division by zero stops script bash
## bash-only
echo before
echo $((1 / 0))
echo never

#### modulo by zero status
(echo $((5 % 0))) 2>/dev/null || echo failed

#### large numbers 64 bit
echo $((9223372036854775807)) $((2147483647 + 1))

#### overflow wraps
echo $((9223372036854775807 + 1))

#### negative shift and and
echo $((-8 >> 1)) $((-1 & 255))

#### parentheses nesting
echo $(( ((1 + 2) * (3 + 4)) - ((2)) ))

#### whitespace and newlines in arithmetic
echo $((  1
  + 2  ))

#### arithmetic in string context
x=4
echo "value=$((x * x))"

#### arithmetic with positional
set -- 6 7
echo $(($1 * $2))

#### arithmetic result used as condition
x=3
if [ $((x % 2)) -eq 1 ]; then echo odd; fi

#### double paren command true
## bash-only
(( 1 + 1 ))
echo $?

#### double paren command zero is false
## bash-only
(( 0 ))
echo $?

#### double paren in if
## bash-only
x=5
if (( x > 3 )); then echo big; fi

#### double paren assignment
## bash-only
(( y = 6 * 7 ))
echo $y

#### double paren increment in loop
## bash-only
i=0
while (( i < 3 )); do echo $i; (( i++ )); done

#### double paren post increment from zero status
## bash-only
i=0
(( i++ ))
echo "$? $i"

#### arithmetic for loop bash
## bash-only
for ((i = 0; i < 3; i++)); do echo $i; done

#### arithmetic for loop empty parts bash
## bash-only
for ((i = 0; ; i++)); do [ $i -ge 2 ] && break; echo $i; done

#### let builtin bash
## bash-only
let x=2*3 y=x+1
echo $x $y

#### comparison chains
echo $((1 < 2 < 3)) $((3 > 2 > 1))

#### unary not of comparison
echo $((!(2 > 1)))

#### invalid arithmetic syntax status
(echo $((1 +))) 2>/dev/null || echo syntax-failed

#### assignment to var then used
: $((n = 3))
: $((n = n * n))
echo $n

#### negative modulo and division combos
echo $((-17 / 5)) $((-17 % 5)) $((17 / -5)) $((17 % -5))

#### arithmetic with leading zeros var octal
x=010
echo $((x + 0))

#### dollar bracket old syntax bash
## bash-only
## aegish-differs: $[...] is bash's deprecated arithmetic form; aegish refuses it before running
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo $[2 + 3]
