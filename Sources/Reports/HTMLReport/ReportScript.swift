/// The report's script, written beside the pages as assets/report.js: plain JavaScript, no
/// framework, no network. On the index it sorts the runs table by any column and filters it
/// by variant, status and text. Opened with `#selftest`, a page checks itself (the table,
/// sorting, filtering, its figures) and writes the outcome into `#selftest-result`, where a
/// headless browser's `--dump-dom` shows it: the browser test of `make test` reads it there.
enum ReportScript {
    static let javascript = """
        "use strict";
        (function () {
          var errors = [];
          window.addEventListener("error", function (event) { errors.push("Uncaught " + event.message); });
          var consoleError = console.error;
          console.error = function () { errors.push("console.error " + Array.prototype.join.call(arguments, " ")); consoleError.apply(console, arguments); };

          function cellText(row, index) { return row.cells[index].textContent.trim(); }

          /// Compares two cells: numbers as numbers, text as text, empty cells last whichever the direction.
          function compare(a, b, numeric, direction) {
            if (a === "" || b === "") { return a === b ? 0 : (a === "" ? 1 : -1); }
            var order = numeric ? parseFloat(a) - parseFloat(b) : a.localeCompare(b);
            return direction === "descending" ? -order : order;
          }

          function RunsTable(table) {
            this.table = table;
            this.body = table.tBodies[0];
            this.rows = Array.prototype.slice.call(this.body.rows);
            this.rows.forEach(function (row, index) { row.dataset.order = index; });
            this.headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
            var self = this;
            this.headers.forEach(function (header, index) {
              header.querySelector("button").addEventListener("click", function () {
                self.sort(index, header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
              });
            });
            this.filters = {
              variant: document.getElementById("filter-variant"),
              status: document.getElementById("filter-status"),
              text: document.getElementById("filter-text")
            };
            Object.keys(this.filters).forEach(function (key) {
              self.filters[key].addEventListener("input", function () { self.filter(); });
            });
            this.count = document.getElementById("runs-shown");
            this.filter();
          }

          RunsTable.prototype.column = function (name) {
            for (var i = 0; i < this.headers.length; i++) { if (this.headers[i].dataset.column === name) { return i; } }
            return -1;
          };

          /// Sorts by a column; ties keep the table's original order, so a sort is deterministic.
          RunsTable.prototype.sort = function (index, direction) {
            var numeric = this.headers[index].dataset.type === "number";
            this.rows.sort(function (a, b) {
              return compare(cellText(a, index), cellText(b, index), numeric, direction) || (a.dataset.order - b.dataset.order);
            });
            var fragment = document.createDocumentFragment();
            this.rows.forEach(function (row) { fragment.appendChild(row); });
            this.body.appendChild(fragment);
            this.headers.forEach(function (header, i) {
              if (i === index) { header.setAttribute("aria-sort", direction); } else { header.removeAttribute("aria-sort"); }
            });
          };

          RunsTable.prototype.filter = function () {
            var variant = this.filters.variant.value, status = this.filters.status.value;
            var text = this.filters.text.value.trim().toLowerCase();
            var variantColumn = this.column("variant"), statusColumn = this.column("status");
            var shown = 0;
            this.rows.forEach(function (row) {
              var visible = (variant === "" || cellText(row, variantColumn) === variant)
                && (status === "" || cellText(row, statusColumn) === status)
                && (text === "" || row.textContent.toLowerCase().indexOf(text) >= 0);
              row.hidden = !visible;
              if (visible) { shown++; }
            });
            this.count.textContent = shown + " of " + this.rows.length + " runs shown";
          };

          RunsTable.prototype.visible = function () { return this.rows.filter(function (row) { return !row.hidden; }); };

          RunsTable.prototype.setFilter = function (key, value) { this.filters[key].value = value; this.filter(); };

          function figuresLoaded(results) {
            var images = Array.prototype.slice.call(document.querySelectorAll("figure img"));
            var broken = images.filter(function (image) { return !image.complete || image.naturalWidth === 0; });
            results.push([images.length > 0 && broken.length === 0,
              "figures: " + (images.length - broken.length) + " of " + images.length + " shown"
              + (broken.length ? " (not: " + broken.map(function (image) { return image.getAttribute("src"); }).join(", ") + ")" : "")]);
          }

          function tableChecks(runs, results) {
            var expected = parseInt(runs.table.dataset.runs, 10);
            results.push([runs.rows.length === expected, "rows: " + runs.rows.length + " of " + expected + " runs"]);
            var loss = runs.column("final_loss_over_baseline");
            ["ascending", "descending"].forEach(function (direction) {
              runs.sort(loss, direction);
              var values = runs.visible().map(function (row) { return cellText(row, loss); });
              var numbers = values.filter(function (value) { return value !== ""; }).map(parseFloat);
              var ordered = numbers.every(function (value, i) { return i === 0 || (direction === "ascending" ? numbers[i - 1] <= value : numbers[i - 1] >= value); });
              var emptiesLast = values.slice(numbers.length).every(function (value) { return value === ""; });
              results.push([ordered && emptiesLast && numbers.length > 0, "sort final_loss_over_baseline " + direction + ": " + numbers.join(" ")]);
            });
            var first = runs.rows[0], id = cellText(first, runs.column("run_id"));
            runs.setFilter("text", id);
            results.push([runs.visible().length === 1, "text filter '" + id + "': " + runs.visible().length + " row(s)"]);
            runs.setFilter("text", "");
            var variants = Array.prototype.slice.call(runs.filters.variant.options).map(function (option) { return option.value; }).filter(Boolean);
            if (variants.length > 0) {
              runs.setFilter("variant", variants[0]);
              var shown = runs.visible();
              results.push([shown.length > 0 && shown.length < runs.rows.length
                && shown.every(function (row) { return cellText(row, runs.column("variant")) === variants[0]; }),
                "variant filter '" + variants[0] + "': " + shown.length + " of " + runs.rows.length + " rows"]);
              runs.setFilter("variant", "");
            }
            runs.setFilter("status", "done");
            var done = runs.visible();
            results.push([done.every(function (row) { return cellText(row, runs.column("status")) === "done"; }),
              "status filter 'done': " + done.length + " rows"]);
            runs.setFilter("status", "");
            var link = first.querySelector("a");
            results.push([link !== null && /^runs\\/.+\\.html$/.test(link.getAttribute("href")),
              "run page link: " + (link ? link.getAttribute("href") : "none")]);
            if (link) { document.getElementById("selftest-result").dataset.runPage = link.getAttribute("href"); }
          }

          function selfTest(runs) {
            var results = [];
            try {
              figuresLoaded(results);
              if (runs) { tableChecks(runs, results); }
            } catch (error) {
              errors.push("Uncaught " + error);
            }
            errors.forEach(function (error) { results.push([false, error]); });
            var passed = results.every(function (result) { return result[0]; });
            var output = document.getElementById("selftest-result");
            output.textContent = results.map(function (result) { return (result[0] ? "PASS " : "FAIL ") + result[1]; }).join("\\n")
              + "\\nSELFTEST " + (passed ? "OK" : "FAILED");
            output.dataset.status = passed ? "ok" : "failed";
            output.hidden = false;
          }

          var table = document.getElementById("runs");
          var runs = table ? new RunsTable(table) : null;
          if (window.location.hash === "#selftest") {
            window.addEventListener("load", function () { selfTest(runs); });
          }
        }());
        """
}
