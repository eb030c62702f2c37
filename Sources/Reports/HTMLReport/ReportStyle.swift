/// The report's stylesheet, written beside the pages as assets/report.css: no web fonts,
/// no CDN, so that the folder renders the same offline.
enum ReportStyle {
    static let css = """
        :root { color-scheme: light; --ink: #1b1b1b; --muted: #5b5b5b; --rule: #d0d0d0; --band: #f3f5f8; --accent: #1f5fa8; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 "DejaVu Sans", system-ui, sans-serif; color: var(--ink); background: #fff; }
        main { max-width: 1200px; margin: 0 auto; padding: 1.5rem; }
        footer { max-width: 1200px; margin: 0 auto; padding: 0 1.5rem 2rem; color: var(--muted); font-size: 13px; }
        h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
        h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); padding-bottom: .25rem; }
        h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
        a { color: var(--accent); }
        code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; }
        pre { background: var(--band); padding: .75rem; overflow-x: auto; max-height: 28rem; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: 13px; }
        caption { text-align: left; color: var(--muted); padding-bottom: .25rem; white-space: nowrap; }
        th, td { border-bottom: 1px solid var(--rule); padding: .2rem .55rem; text-align: left; vertical-align: top; }
        thead th { background: var(--band); position: sticky; top: 0; }
        tbody tr:nth-child(even) { background: #fafafa; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        th button { font: inherit; font-weight: bold; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
        th[aria-sort="ascending"] button::after { content: " \\25B2"; }
        th[aria-sort="descending"] button::after { content: " \\25BC"; }
        .status-done { color: #1d6b2c; } .status-failed, .status-corrupt { color: #a11; } .status-missing, .status-running { color: var(--muted); }
        .filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin: .5rem 0; }
        .filters label { display: flex; flex-direction: column; font-size: 13px; color: var(--muted); }
        .filters input, .filters select { font: inherit; padding: .2rem .35rem; }
        .table-scroll { overflow-x: auto; }
        figure { margin: 1rem 0 1.5rem; }
        figure img { max-width: 100%; height: auto; border: 1px solid var(--rule); }
        figcaption { color: var(--muted); font-size: 13px; max-width: 60rem; }
        .note { background: #fff6e0; border-left: 4px solid #e0a800; padding: .5rem .75rem; }
        .problems li { margin-bottom: .2rem; }
        """
}
