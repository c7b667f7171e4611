printf '%5.1f|%.0f|%.0f|%.3f\n' 2.25 0.5 1.5 3.14159
printf '%e|%E\n' 12345.678 0.00012
printf '%g|%g|%g|%G\n' 100000 1000000 0.0001 1e-5
printf '%x %X %o %u %#x %#o\n' 255 255 8 42 255 8
printf '%+d % d %05d %-5d| %.3d\n' 5 5 -42 7 9
printf '%s,' a b c; echo
printf '%s %s\n' 1 2 3
printf '[%c%c]\n' hello x
printf '%b|\n' 'tab\there' 'oct\0101'
printf '%*d|%-*d|\n' 5 1 4 2
printf 'pct %% done\n'
printf '\101\102\n'
printf '%d\n' "'a" '"b'
printf '%.2s|\n' abcdef
