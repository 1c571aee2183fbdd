# Batch norm backward: largest |difference| between the three gradients, per case
# Re-render with: gnuplot gradients.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Batch norm backward: largest |difference| between the three gradients, per case' noenhanced
set xlabel 'case: D features x B samples, s = spread of X, h = step if not 1e-5 (*: shown, not judged)' noenhanced
set ylabel 'max |difference| over dX, dgamma, dbeta' noenhanced
set logscale y
set format y '10^{%L}'
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set key outside right top
set bmargin 6
set xlabel offset 0,-1.5
set xtics ("3x2\ns 1" 1, "5x8\ns 1" 2, "16x64\ns 1" 3, "8x3\ns 10" 4, "4x16*\ns 0.01" 5, "4x16*\ns 0.01\nh 1e-07" 6)
set xrange [0.5:6.5]
set yrange [1e-18:1e-3]
set terminal pngcairo size 900,560 enhanced font 'Sans,10'
set output 'gradients.png'
plot 'gradients.csv' using 'case':(column('closed_vs_staged') > 1e-17 ? column('closed_vs_staged') : 1e-17) with points title 'closed form vs staged' pt 7 ps 1.5 lc rgb '#1f77b4', \
     'gradients.csv' using 'case':(column('closed_vs_numeric') > 1e-17 ? column('closed_vs_numeric') : 1e-17) with points title 'closed form vs finite differences' pt 4 ps 2.2 lw 2 lc rgb '#d62728', \
     'gradients.csv' using 'case':(column('staged_vs_numeric') > 1e-17 ? column('staged_vs_numeric') : 1e-17) with points title 'staged vs finite differences' pt 9 ps 1.0 lc rgb '#2ca02c', \
     'gradients.csv' using 'case':(1e-08) with lines title 'tolerance 1e-08' dt 2 lw 2 lc rgb '#444444'
set terminal svg size 900,560 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'gradients.svg'
replot
set output
