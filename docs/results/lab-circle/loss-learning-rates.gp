# Q11 on the Circle set: full-batch gradient descent at 7 learning rates (seed 1)
# Re-render with: gnuplot loss-learning-rates.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Q11 on the Circle set: full-batch gradient descent at 7 learning rates (seed 1)' noenhanced
set xlabel 'epoch (= gradient steps: one per epoch in full batch)' noenhanced
set ylabel 'training loss (cross-entropy, nats)' noenhanced
set logscale y
set format y '10^{%L}'
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set terminal pngcairo size 1150,560 enhanced font 'Sans,10'
set output 'loss-learning-rates.png'
plot 'cells/lr-0.01-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'lr 0.01' lw 2 lc rgb '#1f77b4', \
     'cells/lr-0.03-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'lr 0.03' lw 2 lc rgb '#ff7f0e', \
     'cells/lr-0.1-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'lr 0.1' lw 2 lc rgb '#2ca02c', \
     'cells/lr-0.3-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'lr 0.3' lw 2 lc rgb '#d62728', \
     'cells/lr-1-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'lr 1' lw 2 lc rgb '#9467bd', \
     'cells/lr-3-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'lr 3 (loss rose in 11 epochs)' lw 2 lc rgb '#8c564b', \
     'cells/lr-10-seed-1/history.csv' using 'epoch':(strcol('status') eq 'diverged' ? 1/0 : column('train_loss')) with lines title 'lr 10 (loss rose in 491 epochs)' lw 2 lc rgb '#e377c2'
set terminal svg size 1150,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'loss-learning-rates.svg'
replot
set output
