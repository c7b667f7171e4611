echo 'single $x "dq"'
x=val
echo "double $x 'sq' \$x \\ \" \`"
echo back\ slash \$x \\
echo "a\qb"
echo 'it'\''s'
echo ""x"" '' "" | od -c | head -1 >/dev/null
printf '%s|' "" a "b c"; echo
echo "$x"'$x'$x
echo \
continued
echo "multi
line"
echo "${x}s" "${x}"s
