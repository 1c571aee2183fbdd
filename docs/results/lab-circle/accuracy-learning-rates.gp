# Q11: final accuracy after 1000 epochs of full-batch descent (mean over 5 seeds)
# Re-render with: gnuplot accuracy-learning-rates.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Q11: final accuracy after 1000 epochs of full-batch descent (mean over 5 seeds)' noenhanced
set xlabel 'learning rate (log scale)' noenhanced
set ylabel 'accuracy (%)' noenhanced
set logscale x
set format x '10^{%L}'
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set yrange [0:105]
set key outside right top
set format x '%g'
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'accuracy-learning-rates.png'
plot 'accuracy-learning-rates.csv' using 'learning_rate':'train_accuracy' with linespoints title 'train accuracy' lw 2 pt 7 lc rgb '#1f77b4', \
     'accuracy-learning-rates.csv' using 'learning_rate':'test_accuracy' with linespoints title 'test accuracy' lw 2 pt 5 lc rgb '#d62728'
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'accuracy-learning-rates.svg'
replot
set output
