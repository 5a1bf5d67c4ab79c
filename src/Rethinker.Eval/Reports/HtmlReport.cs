// A self-contained HTML report (one file: inline CSS, inline SVG plots, images as data: URIs) built from sections.
// Used by the quickstart and `rethinker eval`; tests open it in headless Chromium and read the rendered DOM.
using System.Globalization;
using System.Text;

namespace Rethinker.Eval.Reports;

/// <summary>A sample rollout to show: its image, prompt, response with highlighted character spans, and verdict.</summary>
public sealed record ReportSample(string Title, byte[]? PngImage, string Prompt, string Response,
    IReadOnlyList<(int Start, int Length)> Highlights, bool? Correct, string? Note = null);

public sealed class HtmlReport(string title)
{
    readonly StringBuilder _body = new();

    public HtmlReport Heading(string text)
    {
        _body.Append("<h2>").Append(Html.Escape(text)).Append("</h2>\n");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        _body.Append("<p>").Append(Html.Escape(text)).Append("</p>\n");
        return this;
    }

    public HtmlReport Plots(IEnumerable<string> svgs)
    {
        _body.Append("<div class=\"plots\">");
        foreach (var svg in svgs) _body.Append(svg);
        _body.Append("</div>\n");
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string cssClass = "table")
    {
        _body.Append(CultureInfo.InvariantCulture, $"<table class=\"{cssClass}\"><thead><tr>");
        foreach (var h in header) _body.Append("<th>").Append(Html.Escape(h)).Append("</th>");
        _body.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var c in row) _body.Append("<td>").Append(Html.Escape(c)).Append("</td>");
            _body.Append("</tr>");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    public HtmlReport Samples(IEnumerable<ReportSample> samples)
    {
        foreach (var s in samples)
        {
            string verdict = s.Correct switch { true => "correct", false => "wrong", null => "" };
            _body.Append(CultureInfo.InvariantCulture, $"<div class=\"sample {verdict}\"><h3>{Html.Escape(s.Title)} <span class=\"verdict\">{verdict}</span></h3>");
            if (s.PngImage is { Length: > 0 })
                _body.Append("<img alt=\"sample image\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(s.PngImage)).Append("\"/>");
            _body.Append("<div class=\"prompt\">").Append(Html.Escape(s.Prompt)).Append("</div>");
            _body.Append("<pre class=\"response\">").Append(Highlight(s.Response, s.Highlights)).Append("</pre>");
            if (s.Note is not null) _body.Append("<div class=\"note\">").Append(Html.Escape(s.Note)).Append("</div>");
            _body.Append("</div>\n");
        }
        return this;
    }

    /// <summary>Escapes the text and wraps each (non-overlapping, clipped) span in &lt;mark class="rethink"&gt;.</summary>
    internal static string Highlight(string text, IReadOnlyList<(int Start, int Length)> spans)
    {
        var sb = new StringBuilder();
        int pos = 0;
        foreach (var (start, length) in spans.OrderBy(s => s.Start))
        {
            int a = Math.Clamp(start, pos, text.Length), b = Math.Clamp(start + length, a, text.Length);
            sb.Append(Html.Escape(text[pos..a]));
            if (b > a) sb.Append("<mark class=\"rethink\">").Append(Html.Escape(text[a..b])).Append("</mark>");
            pos = b;
        }
        sb.Append(Html.Escape(text[pos..]));
        return sb.ToString();
    }

    public string Render() =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.Escape(title) + "</title><style>" + Css + "</style></head><body>\n<h1>"
        + Html.Escape(title) + "</h1>\n" + _body + "</body></html>\n";

    public void Save(string path) => File.WriteAllText(path, Render(), new UTF8Encoding(false));

    const string Css = """
        body{font-family:system-ui,sans-serif;margin:24px;max-width:1100px;color:#222}
        .plots{display:flex;flex-wrap:wrap;gap:12px}
        table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
        .sample{border:1px solid #ddd;border-radius:6px;padding:8px 12px;margin:10px 0}
        .sample img{image-rendering:pixelated;width:168px;border:1px solid #aaa}
        .sample.correct .verdict{color:#2ca02c}.sample.wrong .verdict{color:#d62728}
        .prompt{color:#555;margin:6px 0}pre.response{white-space:pre-wrap;background:#f7f7f7;padding:6px}
        mark.rethink{background:#ffe08a}
        """;
}
