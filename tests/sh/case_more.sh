for w in apple banana cherry 123 '' x.tar.gz; do
  case $w in
    a*|b*) echo "ab: $w";;
    [0-9]*) echo "num: $w";;
    *.tar.*) echo "tar: $w";;
    '') echo empty;;
    *) echo "other: $w";;
  esac
done
case "a b" in "a b") echo spaces;; esac
v=x; case $v in $v) echo self;; esac
case '[' in \[) echo bracket;; esac
case ']' in []]) echo close;; esac
case 'a' in [[:lower:]]) echo lower;; esac
