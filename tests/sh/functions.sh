f() { echo "f $# $1"; }
f; f a b
g() {
    local v=inner
    echo "g $v"
    return 5
}
v=outer; g; echo "$? $v"
h() { echo "h:$@"; shift; echo "h2:$@"; }
set -- x y; h a b c; echo "main:$@"
rec() { [ $1 -le 0 ] && return 0; echo -n "$1 "; rec $(($1-1)); }
rec 5; echo
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }
fact 10
r() { echo redirected; } > /dev/null
r; echo after r
k() { return; }; false; k; echo "k $?"
cnt=0; inc() { cnt=$((cnt+1)); }; inc; inc; inc; echo $cnt
unset -f f; f 2>/dev/null || echo "f gone"
x() { echo x1; }; x() { echo x2; }; x
