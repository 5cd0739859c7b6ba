# The edit every results/*/plant.py makes: plant(TREE)(PATH, OLD, NEW)
# replaces the one occurrence of OLD in TREE/PATH with NEW, and fails if
# OLD is not there exactly once (the code moved: the plant needs updating).
import sys


def plant(tree):
    def ed(path, old, new):
        p = tree + '/' + path
        s = open(p).read()
        assert s.count(old) == 1, (p, old)
        open(p, 'w').write(s.replace(old, new))
    return ed


def from_argv():
    return plant(sys.argv[1])
