x=world
cat <<EOF
hello $x
  indented \$x `echo cmd` $((1+1))
EOF
cat <<'EOF'
literal $x `no`
EOF
cat <<"EOF"
also literal $x
EOF
cat <<-EOF
	tab stripped $x
		two tabs
	EOF
cat <<E1; cat <<E2
first
E1
second
E2
cat <<EOF | tr a-z A-Z
piped $x
EOF
while read l; do echo "r:$l"; done <<EOF
l1
l2
EOF
cat <<EOF
backslash \\ and \
continued
EOF
cat << EOF
EOF
echo end
