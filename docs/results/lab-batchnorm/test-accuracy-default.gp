# MNIST: test accuracy of the default MLP with and without batch norm
# Re-render with: gnuplot test-accuracy-default.gp
set datafile separator ','
set datafile missing 'nan'
set title 'MNIST: test accuracy of the default MLP with and without batch norm' noenhanced
set xlabel 'epoch' noenhanced
set ylabel 'test accuracy (%)' noenhanced
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set xrange [0:6]
set xtics 1
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'test-accuracy-default.png'
plot 'cells/default/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : 100*column('test_accuracy')) with linespoints title 'default MLP' lw 2 pt 7 ps 0.6 lc rgb '#1f77b4', \
     'cells/default-bn/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : 100*column('test_accuracy')) with linespoints title 'default MLP + batch norm' lw 2 pt 7 ps 0.6 lc rgb '#ff7f0e' dt 2
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'test-accuracy-default.svg'
replot
set output
