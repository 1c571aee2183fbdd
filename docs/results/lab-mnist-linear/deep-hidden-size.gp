# Deep model (2 hidden layers): test accuracy against hidden size, ReLU and tanh
# Re-render with: gnuplot deep-hidden-size.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Deep model (2 hidden layers): test accuracy against hidden size, ReLU and tanh' noenhanced
set xlabel 'hidden layer size (units)' noenhanced
set ylabel 'test accuracy (%)' noenhanced
set logscale x
set format x '10^{%L}'
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set format x '%g'
set offsets graph 0.05, graph 0.05, 0.2, 0.2
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'deep-hidden-size.png'
plot 'deep.csv' using 'hidden_size':(column('hidden_layers') == 2 && strcol('activation') eq 'relu' ? 100*column('test_accuracy') : 1/0) with linespoints title 'ReLU' lw 2 pt 7 lc rgb '#d62728', \
     'deep.csv' using 'hidden_size':(column('hidden_layers') == 2 && strcol('activation') eq 'tanh' ? 100*column('test_accuracy') : 1/0) with linespoints title 'tanh' lw 2 pt 5 lc rgb '#1f77b4', \
     'deep.csv' using 'hidden_size':(98.0) with lines title 'report: best 98% (2 x 100)' dt 2 lw 2 lc rgb '#ff7f0e'
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'deep-hidden-size.svg'
replot
set output
