# Softmax regression: test accuracy of each of the 32 grid models (at its best validation evaluation), ranked
# Re-render with: gnuplot grid-test-accuracy.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Softmax regression: test accuracy of each of the 32 grid models (at its best validation evaluation), ranked' noenhanced
set xlabel 'model rank (by test accuracy)' noenhanced
set ylabel 'test accuracy (%)' noenhanced
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set xrange [0:33]
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'grid-test-accuracy.png'
plot 'grid.csv' using 'rank':(column('momentum') == 0 && column('decay') == 0 ? 100*column('test_accuracy') : 1/0) with points title 'plain SGD' pt 7 ps 1.3 lc rgb '#1f77b4', \
     'grid.csv' using 'rank':(column('momentum') == 0 && column('decay') == 1 ? 100*column('test_accuracy') : 1/0) with points title 'decay' pt 5 ps 1.3 lc rgb '#2ca02c', \
     'grid.csv' using 'rank':(column('momentum') == 1 && column('decay') == 0 ? 100*column('test_accuracy') : 1/0) with points title 'momentum' pt 9 ps 1.5 lc rgb '#d62728', \
     'grid.csv' using 'rank':(column('momentum') == 1 && column('decay') == 1 ? 100*column('test_accuracy') : 1/0) with points title 'momentum + decay' pt 13 ps 1.5 lc rgb '#9467bd', \
     'grid.csv' using 'rank':(91.6628125) with lines title 'ours: mean 91.66%' lw 2 lc rgb '#444444', \
     'grid.csv' using 'rank':(92.2) with lines title 'report: mean 92.2%' dt 2 lw 2 lc rgb '#ff7f0e', \
     'grid.csv' using 'rank':(91.8) with lines title 'report: lowest 91.8%' dt 3 lw 2 lc rgb '#8c564b'
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'grid-test-accuracy.svg'
replot
set output
