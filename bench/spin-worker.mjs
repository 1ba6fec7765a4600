// A fixed amount of pure arithmetic, used to measure how much two threads can run in parallel here.
let x = 0;
for (let i = 0; i < 2e8; i++) x += i % 7;
if (x < 0) console.log(x);
