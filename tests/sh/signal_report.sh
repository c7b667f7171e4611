# A foreground command ended by a signal is reported on stderr (not for SIGINT or SIGPIPE).
sh -c 'kill -TERM $$' 2>/dev/null; echo term=$?
{ sh -c 'kill -TERM $$'; } 2>err; echo st=$?
cat err
{ sh -c 'kill -KILL $$'; } 2>err; cat err
{ sh -c 'kill -INT $$'; echo int=$?; } 2>err; cat err
{ yes | head -1; } 2>err; cat err
