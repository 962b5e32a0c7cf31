/* 好差评 (/<region>/haochaping/): GET /api/evaluations/stats?region= → the region's figures, and a row per
   department: ratings, the share of each level, 满意率, 差评 and how many were answered (整改率). No login. */

import * as Api from "../api.js";
import { boot } from "../boot.js";
import { el, status } from "../dom.js";
import { formatPercent, formatTime } from "../lib/format.js";

/* A cell as the table shows it, labelled for the phone's one-card-per-row layout (three cells to a line). */
function cell(label, content) {
  return el("td", { "data-label": label, class: "cell-third" }, content);
}

function answered(figures) {
  return figures.bad_count ? figures.bad_answered + "（" + formatPercent(figures.answer_rate) + "）" : "—";
}

function row(name, figures, isTotal) {
  var none = figures.count === 0;
  var cells = [el("th", { scope: "row" }, name), cell("评价数", String(figures.count))];
  figures.levels.forEach(function (level) {
    cells.push(cell(level.label, none ? "—" : [formatPercent(level.share), el("span", { class: "cell-count" }, level.count + " 条")]));
  });
  cells.push(cell("满意率", none ? "暂无评价" : formatPercent(figures.satisfaction_rate)));
  cells.push(cell("差评", String(figures.bad_count)));
  cells.push(cell("已整改（整改率）", answered(figures)));
  return el("tr", { class: isTotal ? "row-total" : null }, cells);
}

function showTotal(summary, stats) {
  var total = stats.total;
  var values = {
    count: total.count + " 条",
    satisfaction_rate: total.count ? formatPercent(total.satisfaction_rate) : "暂无评价",
    bad_count: total.bad_count + " 条",
    bad_answered: answered(total),
    updated_at: stats.updated_at ? formatTime(stats.updated_at) : "—"
  };
  summary.querySelectorAll("[data-total]").forEach(function (node) {
    node.textContent = values[node.getAttribute("data-total")];
  });
  summary.hidden = false;
}

function start(page) {
  var loading = document.getElementById("haochaping-loading");
  loading.hidden = false;
  status(loading, "正在读取评价数据…");
  Api.get("/evaluations/stats?region=" + encodeURIComponent(page.getAttribute("data-region"))).then(function (stats) {
    loading.hidden = true;
    showTotal(document.getElementById("haochaping-summary"), stats);
    var rows = [row(stats.region_name + "合计", stats.total, true)].concat(stats.departments.map(function (department) {
      return row(department.department_name, department, false);
    }));
    page.querySelector("[data-departments]").replaceChildren(...rows);
    document.getElementById("haochaping-departments").hidden = false;
  }, function (error) {
    status(loading, error.message + "。请稍后刷新页面重试。", "error");
  });
}

boot({ page: "haochaping", start: start });
