# Q10 on the Circle set: the same runs against parameter updates (lr 0.1, seed 1)
# Re-render with: gnuplot loss-batch-modes-steps.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Q10 on the Circle set: the same runs against parameter updates (lr 0.1, seed 1)' noenhanced
set xlabel 'parameter updates (gradient steps, log scale)' noenhanced
set ylabel 'training loss (cross-entropy, nats)' noenhanced
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'loss-batch-modes-steps.png'
plot 'cells/full-batch-seed-1/history.csv' using (column('step') > 0 ? column('step') : 1/0):(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with linespoints title 'full batch (B = 200)' lw 2 lc rgb '#1f77b4' pt 7 ps 0.3, \
     'cells/mini-batch-seed-1/history.csv' using (column('step') > 0 ? column('step') : 1/0):(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with linespoints title 'mini-batch (B = 10)' lw 2 lc rgb '#ff7f0e' pt 7 ps 0.3, \
     'cells/online-seed-1/history.csv' using (column('step') > 0 ? column('step') : 1/0):(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with linespoints title 'online (B = 1)' lw 2 lc rgb '#2ca02c' pt 7 ps 0.3
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'loss-batch-modes-steps.svg'
replot
set output
