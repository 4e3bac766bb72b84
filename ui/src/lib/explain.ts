// "Hvorfor denne statusen?": the steps from registered figures to the status, in words,
// from the numbers the engine returned (it computes; this only writes them out).

import type { IndicatorResult } from "../bindings/IndicatorResult";
import type { Indicator } from "../bindings/Indicator";
import { formatNumber, formatShare, withUnit } from "./format";
import { labelOfId } from "./period";
import { STATUS_WORD } from "./status";

/** One line of the explanation: a label and its text. */
export interface ExplainLine {
  label: string;
  text: string;
}

const AGGREGATION_TEXT: Record<Indicator["aggregation"], string> = {
  sum: "summen av periodene",
  snitt: "gjennomsnittet av periodene som har tall",
  siste: "verdien i den siste perioden som har tall",
  brøk: "Σ teller / Σ nevner",
};

/** The rule that decides the status, with the numbers filled in. */
export function ruleText(r: IndicatorResult): string | null {
  if (r.target === null) return null;
  const t = withUnit(r.target, r.decimals, r.unit_label);
  const red = r.red_limit === null ? null : withUnit(r.red_limit, r.decimals, r.unit_label);
  if (r.direction === "høy") {
    return red === null
      ? `Høyere er bedre: grønn når verdien er minst ${t}, ellers rød.`
      : `Høyere er bedre: grønn når verdien er minst ${t}, gul fra ${red} opp til ${t}, rød under ${red}.`;
  }
  return red === null
    ? `Lavere er bedre: grønn når verdien er høyst ${t}, ellers rød.`
    : `Lavere er bedre: grønn når verdien er høyst ${t}, gul over ${t} til og med ${red}, rød over ${red}.`;
}

export function explain(r: IndicatorResult, askedPeriod: string, unitName: string, factor: number): ExplainLine[] {
  const lines: ExplainLine[] = [];
  if (r.period !== askedPeriod) {
    lines.push({
      label: "Periode",
      text: `Indikatoren måles per ${r.frequency}; for ${labelOfId(askedPeriod)} vises siste hele periode: ${labelOfId(r.period)}.`,
    });
  }
  if (r.value === null) {
    lines.push({ label: "Verdi", text: `Ingen tall er registrert for ${unitName} i ${labelOfId(r.period)}.` });
  } else {
    if (r.aggregation === "brøk" && r.numerator !== null && r.denominator !== null) {
      lines.push({
        label: "Utregning",
        text: `${formatNumber(factor, 0)} × Σ teller / Σ nevner = ${formatNumber(factor, 0)} × ${formatNumber(r.numerator, 2)} / ${formatNumber(r.denominator, 2)} = ${formatNumber(r.value, 4)}`,
      });
    } else {
      lines.push({ label: "Utregning", text: `Verdien er ${AGGREGATION_TEXT[r.aggregation]}, summert over enheten og alle enhetene under den.` });
    }
    lines.push({
      label: "Verdi",
      text: `${formatNumber(r.value, 4)} uavrundet, vist som ${r.display ?? "–"} (avrundet til ${r.decimals} desimal${r.decimals === 1 ? "" : "er"}); statusen sammenligner den viste verdien.`,
    });
  }
  if (r.target === null) {
    lines.push({ label: "Mål", text: "Det er ikke satt noe mål for dette året, verken for enheten eller som standard; indikatoren vises som en observasjon." });
  } else {
    const source = r.target_source === "unit" ? `${unitName} sitt eget mål` : "standardmålet for alle enheter";
    const red = r.red_limit === null ? "ingen rød grense" : `rød grense ${withUnit(r.red_limit, r.decimals, r.unit_label)}`;
    lines.push({ label: "Mål", text: `${withUnit(r.target, r.decimals, r.unit_label)} (${source}), ${red}.` });
    const rule = ruleText(r);
    if (rule) lines.push({ label: "Regel", text: rule });
  }
  lines.push({ label: "Status", text: `${STATUS_WORD[r.status]}.` });
  if (r.expected_cells > 0) {
    const share = r.coverage === null ? "" : ` (${formatShare(r.coverage)})`;
    lines.push({
      label: "Dekning",
      text: `${r.reported_cells} av ${r.expected_cells} forventede tall er registrert${share}${r.missing_units > 0 ? `; ${r.missing_units} av ${r.expected_units} enheter mangler tall` : ""}.`,
    });
  }
  return lines;
}
