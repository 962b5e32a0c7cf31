/* Whether a chosen file fits a material: its formats, their content types (both from the API's detail) and
   its size limit. Pure: no DOM, tested by tests/js. */

import { formatNames, humanSize } from "./format.js";

/* The material's format the file is, by its type, or by its extension when the system gives no type. */
export function formatOf(file, contentTypes) {
  var formats = Object.keys(contentTypes);
  var byType = formats.filter(function (format) { return contentTypes[format] === file.type; })[0];
  if (byType || file.type) {
    return byType || null;
  }
  var extension = ((/\.([a-z0-9]+)$/i.exec(file.name) || [])[1] || "").toLowerCase();
  return formats.indexOf(extension) !== -1 ? extension : null;
}

/* What is wrong with the file for this material, in words for the applicant; null when it may be sent. */
export function fileProblem(material, file) {
  if (!formatOf(file, material.content_types)) {
    return "“" + file.name + "”不是 " + formatNames(material.formats) + " 文件，本项材料只接受这些格式";
  }
  if (!file.size) {
    return "“" + file.name + "”是空文件，请重新选择";
  }
  if (file.size > material.max_size) {
    return "“" + file.name + "”超过 " + humanSize(material.max_size) + "，请压缩后再上传";
  }
  return null;
}

/* The file chooser's accept="": the material's content types and their formats as extensions. */
export function acceptList(contentTypes) {
  return Object.keys(contentTypes).map(function (format) { return "." + format + "," + contentTypes[format]; }).join(",");
}
