printf 'a b\nc d\ne\n' > in.txt
while read x y; do echo "x=$x y=$y"; done < in.txt
n=0; while read line; do n=$((n+1)); done < in.txt; echo $n
printf 'no newline' | { read v; echo "$v $?"; }
{ read first; cat; } < in.txt
