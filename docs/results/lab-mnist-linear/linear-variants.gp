# Softmax regression at lr 0.02: validation accuracy with and without momentum and decay
# Re-render with: gnuplot linear-variants.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Softmax regression at lr 0.02: validation accuracy with and without momentum and decay' noenhanced
set xlabel 'epoch' noenhanced
set ylabel 'validation accuracy (%)' noenhanced
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set xrange [0:5]
set xtics 1
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'linear-variants.png'
plot 'cells/linear-lr0.02/history.csv' using 'epoch':(100*column('validation_accuracy')) with linespoints title 'plain SGD' lw 5 pt 6 ps 1.8 lc rgb '#92c5de', \
     'cells/linear-lr0.02-momentum/history.csv' using 'epoch':(100*column('validation_accuracy')) with linespoints title 'momentum' lw 5 pt 6 ps 1.8 lc rgb '#f4a582', \
     'cells/linear-lr0.02-decay/history.csv' using 'epoch':(100*column('validation_accuracy')) with linespoints title 'plain SGD + decay' lw 1.5 dt 2 pt 7 ps 0.6 lc rgb '#08306b', \
     'cells/linear-lr0.02-decay-momentum/history.csv' using 'epoch':(100*column('validation_accuracy')) with linespoints title 'momentum + decay' lw 1.5 dt 2 pt 7 ps 0.6 lc rgb '#7f0000'
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'linear-variants.svg'
replot
set output
