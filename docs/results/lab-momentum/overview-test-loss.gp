# Test loss vs. epochs, 784-100-100-10, learning rate x momentum (seed 1)
# Re-render with: gnuplot overview-test-loss.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Test loss vs. epochs, 784-100-100-10, learning rate x momentum (seed 1)' noenhanced
set xlabel 'epoch' noenhanced
set ylabel 'test loss (cross-entropy, nats)' noenhanced
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set xrange [0:20]
set xtics 1
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'overview-test-loss.png'
plot 'cells/lr0.01-m0.1-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('test_loss')) with linespoints title 'lr 0.01, momentum 0.1' lw 2 pt 7 ps 0.6 lc rgb '#1f77b4', \
     'cells/lr0.001-m0.1-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('test_loss')) with linespoints title 'lr 0.001, momentum 0.1' lw 2 pt 7 ps 0.6 lc rgb '#ff7f0e' dt 2, \
     'cells/lr0.01-m0.5-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('test_loss')) with linespoints title 'lr 0.01, momentum 0.5' lw 2 pt 7 ps 0.6 lc rgb '#2ca02c', \
     'cells/lr0.001-m0.5-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('test_loss')) with linespoints title 'lr 0.001, momentum 0.5' lw 2 pt 7 ps 0.6 lc rgb '#d62728' dt 2, \
     'cells/lr0.01-m0.9-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('test_loss')) with linespoints title 'lr 0.01, momentum 0.9' lw 2 pt 7 ps 0.6 lc rgb '#9467bd', \
     'cells/lr0.001-m0.9-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('test_loss')) with linespoints title 'lr 0.001, momentum 0.9' lw 2 pt 7 ps 0.6 lc rgb '#8c564b' dt 2
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'overview-test-loss.svg'
replot
set output
