# MNIST: tuned MLP
# Re-render with: gnuplot curves-tuned.gp
set datafile separator ','
set datafile missing 'nan'
set title 'MNIST: tuned MLP' noenhanced
set xlabel 'epoch' noenhanced
set ylabel 'accuracy (%)' noenhanced
set y2label 'loss: cross-entropy in nats per sample (log scale)' noenhanced
set y2tics
set ytics nomirror
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set yrange [*:100]
set logscale y2
set xrange [0:20]
set xtics 1
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'curves-tuned.png'
plot 'cells/tuned/history.csv' using 'epoch':(100*column('train_accuracy')) with lines title 'train accuracy' lw 2 lc rgb '#1f77b4', \
     'cells/tuned/history.csv' using 'epoch':(100*column('test_accuracy')) with lines title 'test accuracy' lw 2 lc rgb '#d62728', \
     'cells/tuned/history.csv' using 'epoch':'train_loss' with lines title 'train loss' dt 2 lw 2 lc rgb '#1f77b4' axes x1y2, \
     'cells/tuned/history.csv' using 'epoch':'test_loss' with lines title 'test loss' dt 2 lw 2 lc rgb '#d62728' axes x1y2, \
     'cells/tuned/history.csv' using 'epoch':(100*column('validation_accuracy')) with lines title 'validation accuracy' lw 2 lc rgb '#2ca02c', \
     'cells/tuned/history.csv' using 'epoch':'validation_loss' with lines title 'validation loss' dt 2 lw 2 lc rgb '#2ca02c' axes x1y2
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'curves-tuned.svg'
replot
set output
