# Shell functions the bench scripts share (sourced by bench/run.sh and
# bench/cold.sh).

# stats: the numbers on stdin, one a line, as "median smallest largest
# count" ("0 0 0 0" for none).
stats() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print 0, 0, 0, 0
		exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR], NR }'
}
