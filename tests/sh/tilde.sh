HOME=/home/tester
echo ~ ~/x "~" '~' ~root/ | sed 's|^/home/tester /home/tester/x ~ ~ /root/$|ok|'
x=~/a:~/b; echo $x
echo a=~
