/* What the parts of 审批工作台 share: its URLs and the way a failed read is shown. */

import { showProblem } from "../boot.js";

export function reviewUrl(page, query) {
  return page.getAttribute("data-review") + (query ? "?" + query : "");
}

/* A read that failed: not staff (403) → the notice; otherwise on its status line, or the notice. */
export function failed(error, out) {
  if (error.status === 403) {
    showProblem("review", "仅审批人员可以使用审批工作台", error.message);
  } else if (out) {
    out.textContent = "读取失败：" + error.message;
  } else {
    showProblem("review", "审批工作台未能打开", error.message + "。请稍后刷新页面重试。");
  }
}

export function setDepartment(account) {
  if (account.department_name) {
    document.getElementById("review-lead").textContent = "本部门：" + account.department_name + "（" +
      account.region_name + "）。受理、审批本部门的网上申报办件。";
  }
}
