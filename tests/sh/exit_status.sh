nonexistent_cmd_xyz 2>/dev/null; echo $?
./ 2>/dev/null; echo $?
touch noexec; chmod 644 noexec; ./noexec 2>/dev/null; echo $?
(exit 200); echo $?
sh -c 'exit 7'; echo $?
sh -c 'kill -9 $$'; echo $?
false | true; echo $?
true | false; echo $?
y=1 $(exit 4); echo "empty-cmd=$? y=$y"
$(exit 3); echo "only-subst=$?"
