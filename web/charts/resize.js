// @ts-check
/**
 * Charts follow their container's width: one listener for the whole console, so that a chart removed from the
 * page is simply dropped from the set on the next resize.
 */

/** @type {Set<{ u: any, host: HTMLElement, height: number }>} */
const charts = new Set();
let frame = 0;

/** The width a chart gets in `host`: all of it, at least 240 px. @param {HTMLElement} host */
export const widthOf = (host) => Math.max(240, Math.floor(host.clientWidth));

function resizeAll() {
  frame = 0;
  for (const chart of charts) {
    if (!chart.u.root.isConnected) {
      charts.delete(chart);
      continue;
    }
    const width = widthOf(chart.host);
    if (width !== chart.u.width) chart.u.setSize({ width, height: chart.height });
  }
}

window.addEventListener('resize', () => {
  if (!frame) frame = requestAnimationFrame(resizeAll);
});

/** Keeps the uPlot chart `u` as wide as `host`. @param {any} u @param {HTMLElement} host @param {number} height */
export function follow(u, host, height) {
  charts.add({ u, host, height });
  return u;
}
