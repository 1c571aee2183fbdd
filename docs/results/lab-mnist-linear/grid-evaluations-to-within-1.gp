# Softmax regression: evaluations needed to come within 1 point of the best validation accuracy
# Re-render with: gnuplot grid-evaluations-to-within-1.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Softmax regression: evaluations needed to come within 1 point of the best validation accuracy' noenhanced
set xlabel 'initial learning rate' noenhanced
set ylabel 'evaluations (5 per epoch)' noenhanced
set logscale x
set format x '10^{%L}'
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set offsets graph 0.05, graph 0.05, 1, 1
set format x '%g'
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'grid-evaluations-to-within-1.png'
plot 'evaluations-by-rate.csv' using 'lr':'plain' with linespoints title 'plain SGD' lw 5 pt 6 ps 2.2 lc rgb '#9ecae1', \
     'evaluations-by-rate.csv' using 'lr':'decay' with linespoints title 'decay' lw 5 pt 4 ps 2.2 lc rgb '#a1d99b', \
     'evaluations-by-rate.csv' using 'lr':'momentum' with linespoints title 'momentum' lw 1.5 dt 2 pt 7 ps 0.9 lc rgb '#d62728', \
     'evaluations-by-rate.csv' using 'lr':'momentum_decay' with linespoints title 'momentum + decay' lw 1.5 dt 2 pt 5 ps 0.9 lc rgb '#6a3d9a', \
     'evaluations-by-rate.csv' using 'lr':(10) with lines title 'report: within epoch 2 (evaluation 10)' dt 2 lw 2 lc rgb '#ff7f0e'
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'grid-evaluations-to-within-1.svg'
replot
set output
