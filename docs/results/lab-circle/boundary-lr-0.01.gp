# Decision boundary, full batch, lr 0.01: test 62.5% after 1000 epochs (seed 1)
# Re-render with: gnuplot boundary-lr-0.01.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Decision boundary, full batch, lr 0.01: test 62.5% after 1000 epochs (seed 1)' noenhanced
set xlabel 'x1 (coordinate, no unit)' noenhanced
set ylabel 'x2 (coordinate, no unit)' noenhanced
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set size ratio -1
set xrange [-2.25:2.25]
set yrange [-2.25:2.25]
set palette defined (0 '#fde0dd', 1 '#deebf7')
unset colorbox
set key outside bottom center horizontal
set object 1 circle at 0,0 size 0.8 front fillstyle empty border lc rgb '#555555' dt 2 lw 1
set object 2 circle at 0,0 size 1.2 front fillstyle empty border lc rgb '#555555' dt 2 lw 1
set terminal pngcairo size 700,700 enhanced font 'Sans,10'
set output 'boundary-lr-0.01.png'
plot 'cells/lr-0.01-seed-1/boundary.csv' using 'x1':'x2':'class' with image title 'predicted class (shading)', \
     'cells/lr-0.01-seed-1/test-points.csv' using 'x1':(column('label') == 1 ? column('x2') : 1/0) with points title 'test class 1 (ring)' pt 7 ps 0.5 lc rgb '#08519c', \
     'cells/lr-0.01-seed-1/test-points.csv' using 'x1':(column('label') == 0 ? column('x2') : 1/0) with points title 'test class 0 (disk)' pt 7 ps 0.5 lc rgb '#cb181d'
set terminal svg size 700,700 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'boundary-lr-0.01.svg'
replot
set output
