/**
 * Relative publication times for the widget ("5 phút trước", "2 hours ago"). The same function
 * runs on the server (first paint) and, serialised with toString(), in the widget's script (to
 * keep the times current), so it must stay self-contained: no imports, no outer variables.
 */
export function relativeTime(ms: number, now: number, lang: string): string {
  var en = lang === 'en';
  var s = Math.floor((now - ms) / 1000);
  var n: number;
  var unit: string;
  if (s < 60) return en ? 'just now' : 'vừa xong';
  if (s < 3600) {
    n = Math.floor(s / 60);
    unit = en ? 'minute' : 'phút';
  } else if (s < 86400) {
    n = Math.floor(s / 3600);
    unit = en ? 'hour' : 'giờ';
  } else if (s < 30 * 86400) {
    n = Math.floor(s / 86400);
    unit = en ? 'day' : 'ngày';
  } else {
    // Older than a month: the date, in Vietnam's time (+07:00, no DST) like the sources.
    var d = new Date(ms + 7 * 3600 * 1000);
    var day = d.getUTCDate();
    var month = d.getUTCMonth();
    var year = d.getUTCFullYear();
    return en ? day + ' ' + 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ')[month] + ' ' + year : day + '/' + (month + 1) + '/' + year;
  }
  return en ? n + ' ' + unit + (n === 1 ? '' : 's') + ' ago' : n + ' ' + unit + ' trước';
}
