use ducks::engine::*;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let f = ducks::cli::LocalFile::open(std::path::Path::new(&path)).unwrap();
        let cf = CurFile::open(f).unwrap();
        let t_open = t.elapsed();
        let mut tally = Tally::default();
        for (i, g) in cf.outline().row_groups.iter().enumerate() {
            tally.merge(&cf.scan(RowSlice { row_group: i, first_row: 0, rows: g.rows }, &mut |_| {}).unwrap());
        }
        println!("open {:?} scan total {:?} rows {}", t_open, t.elapsed(), tally.rows);
    }
}
