# Decision boundary, network A: 2-25-25-25-2 ReLU + MSE
# Re-render with: gnuplot boundary-A.gp
set datafile separator ','
set datafile missing 'nan'
set title 'Decision boundary, network A: 2-25-25-25-2 ReLU + MSE' noenhanced
set xlabel 'x1' noenhanced
set ylabel 'x2' noenhanced
set grid lc rgb '#dddddd'
set key outside right top noenhanced
set size ratio -1
set xrange [0:1]
set yrange [0:1]
set palette defined (0 '#fde0dd', 1 '#deebf7')
unset colorbox
set key outside bottom center horizontal
set object 1 circle at 0.5,0.5 size 0.3989422804 front fillstyle empty border lc rgb 'black' lw 2
set terminal pngcairo size 700,640 enhanced font 'Sans,10'
set output 'boundary-A.png'
plot 'cells/A-seed-1/boundary.csv' using 'x1':'x2':'class' with image title 'predicted class (shaded)', \
     'cells/A-seed-1/test-points.csv' using 'x1':(column('label') == 1 ? column('x2') : 1/0) with points title 'test label 1' pt 7 ps 0.35 lc rgb '#08519c', \
     'cells/A-seed-1/test-points.csv' using 'x1':(column('label') == 0 ? column('x2') : 1/0) with points title 'test label 0' pt 7 ps 0.35 lc rgb '#cb181d'
set terminal svg size 700,640 dynamic enhanced font 'Sans,10' background rgb 'white'
set output 'boundary-A.svg'
replot
set output
