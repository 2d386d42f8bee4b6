//! Sizes of dist/: raw, gzip -9 and brotli -q 11, per file and in total.

use anyhow::Context;
use std::path::Path;
use std::process::{Command, Stdio};

fn compressed(tool: &str, args: &[&str], path: &Path) -> Option<u64> {
    let out = Command::new(tool)
        .args(args)
        .arg(path)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

/// A file of `dist/`: its name, raw bytes, gzip and brotli bytes (when the tool is there).
type SizeRow = (String, u64, Option<u64>, Option<u64>);

pub fn print(dist: &Path) -> anyhow::Result<()> {
    let mut rows: Vec<SizeRow> = Vec::new();
    for entry in std::fs::read_dir(dist).with_context(|| format!("{}", dist.display()))? {
        let path = entry
            .with_context(|| format!("cannot list {}", dist.display()))?
            .path();
        let precompressed = path.extension().is_some_and(|e| e == "br" || e == "gz");
        if path.is_file() && !precompressed {
            let raw = std::fs::metadata(&path)
                .with_context(|| format!("cannot read {}", path.display()))?
                .len();
            let gz = compressed("gzip", &["-9", "-c"], &path);
            let br = compressed("brotli", &["-q", "11", "-c"], &path);
            rows.push((
                path.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .to_string(),
                raw,
                gz,
                br,
            ));
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    let kb = |n: Option<u64>| {
        n.map(|n| format!("{:.1} KB", n as f64 / 1000.0))
            .unwrap_or_else(|| "n/a".into())
    };
    println!("dist/ sizes (raw / gzip -9 / brotli -q 11):");
    for (name, raw, gz, br) in &rows {
        println!(
            "  {name:<48} {:>10} {:>10} {:>10}",
            kb(Some(*raw)),
            kb(*gz),
            kb(*br)
        );
    }
    let sum = |f: &dyn Fn(&SizeRow) -> Option<u64>| rows.iter().map(f).sum::<Option<u64>>();
    println!(
        "  {:<48} {:>10} {:>10} {:>10}",
        "total",
        kb(sum(&|r| Some(r.1))),
        kb(sum(&|r| r.2)),
        kb(sum(&|r| r.3))
    );
    Ok(())
}

/// Bytes a first visit downloads, brotli-compressed as nginx serves them: index.html and
/// every file it references (boot script, JS glue, wasm, stylesheet), largest first.
pub fn first_load(dist: &Path) -> anyhow::Result<Vec<(String, u64)>> {
    let html = std::fs::read_to_string(dist.join("index.html"))
        .with_context(|| format!("{}", dist.display()))?;
    let mut files = vec!["index.html".to_string()];
    for attr in ["src=\"", "href=\""] {
        for part in html.split(attr).skip(1) {
            let url = part.split('"').next().unwrap_or_default();
            let name = url.rsplit('/').next().unwrap_or_default().to_string();
            if !name.is_empty() && dist.join(&name).is_file() && !files.contains(&name) {
                files.push(name);
            }
        }
    }
    let mut rows = Vec::new();
    for f in files {
        let br = compressed("brotli", &["-q", "11", "-c"], &dist.join(&f))
            .ok_or_else(|| anyhow::anyhow!("brotli could not compress {f}"))?;
        rows.push((f, br));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    Ok(rows)
}

/// Fails when the first load is over `budget` bytes (brotli), naming what it is made of.
pub fn check_budget(dist: &Path, budget: u64) -> anyhow::Result<()> {
    let rows = first_load(dist)?;
    // A page whose references were not all found would pass any budget.
    for kind in [".wasm", ".css", ".js"] {
        if !rows.iter().any(|r| r.0.ends_with(kind)) {
            return Err(anyhow::anyhow!(
                "no {kind} file found among what index.html references: the first load cannot be counted"
            ));
        }
    }
    let total: u64 = rows.iter().map(|r| r.1).sum();
    let table: Vec<String> = rows
        .iter()
        .map(|(n, b)| format!("  {n:<48} {b:>8} B"))
        .collect();
    println!(
        "first load, brotli: {total} B of a {budget} B budget\n{}",
        table.join("\n")
    );
    if total > budget {
        return Err(anyhow::anyhow!("the first load is {total} B brotli, over the {budget} B budget; the top contributors are above (cargo install twiggy, then `twiggy top` on the wasm, for what is inside)"));
    }
    Ok(())
}
