# Q10 on the Circle set: training loss, full batch vs mini-batch vs online (2-4-2 tanh, lr 0.1, seed 1)
# Re-render with: gnuplot loss-batch-modes.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Q10 on the Circle set: training loss, full batch vs mini-batch vs online (2-4-2 tanh, lr 0.1, seed 1)' noenhanced
set xlabel 'epoch (passes over the 200 training points)' noenhanced
set ylabel 'training loss (cross-entropy, nats)' noenhanced
set logscale y
set format y '10^{%L}'
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'loss-batch-modes.png'
plot 'cells/full-batch-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'full batch (B = 200)' lw 2 lc rgb '#1f77b4', \
     'cells/mini-batch-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'mini-batch (B = 10)' lw 2 lc rgb '#ff7f0e', \
     'cells/online-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'online (B = 1)' lw 2 lc rgb '#2ca02c'
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'loss-batch-modes.svg'
replot
set output
