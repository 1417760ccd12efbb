import type { OnboardingCounts } from '../../src/staff/onboarding'
import { STATUS_FILTERS } from '../../src/text/status-filters'
import { listHref } from './staff-list-links'

const SEGMENTS: { key: keyof OnboardingCounts; tone: string }[] = [
  { key: 'signed-up', tone: 'seg-success' },
  { key: 'signup-initiated', tone: 'seg-pending' },
  { key: 'email-not-delivered', tone: 'seg-error' },
  { key: 'invitation-expired', tone: 'seg-warning' },
  { key: 'yet-to-sign-up', tone: 'seg-neutral' },
]

/**
 * Where the practice stands, as text (the list) and as one stacked bar (for the eye; each
 * segment a link to its Status filter). The counts are the filters' own: "Yet to sign up"
 * includes the expired, "Signup initiated" the undelivered, so the bar's segments subtract them
 * to add up to the whole.
 */
export function OnboardingSummary(props: { counts: OnboardingCounts }) {
  const c = props.counts
  const widths: Record<keyof OnboardingCounts, number> = {
    'signed-up': c['signed-up'],
    'signup-initiated': Math.max(0, c['signup-initiated'] - c['email-not-delivered']),
    'email-not-delivered': c['email-not-delivered'],
    'invitation-expired': c['invitation-expired'],
    'yet-to-sign-up': Math.max(0, c['yet-to-sign-up'] - c['invitation-expired']),
  }
  const whole = Object.values(widths).reduce((a, b) => a + b, 0)
  return (
    <section class="onboarding" aria-labelledby="onboarding-heading">
      <h2 id="onboarding-heading">Onboarding</h2>
      <ul class="onboarding-counts">
        {SEGMENTS.map(({ key, tone }) => (
          <li>
            <span class={`swatch ${tone}`} aria-hidden="true"></span>
            <a href={listHref('', key)}>
              {STATUS_FILTERS[key]}: <strong>{c[key].toLocaleString('en-US')}</strong>
            </a>
          </li>
        ))}
      </ul>
      {whole > 0 && <OnboardingBar counts={c} widths={widths} whole={whole} />}
    </section>
  )
}

/**
 * The bar as inline SVG: widths are attributes, not inline styles, which the CSP forbids. The
 * numbers are in the list above, so the picture is hidden from screen readers and its links
 * from the tab order (the list's links go to the same filters).
 */
function OnboardingBar(props: { counts: OnboardingCounts; widths: Record<keyof OnboardingCounts, number>; whole: number }) {
  let x = 0
  return (
    <svg class="onboarding-bar" viewBox="0 0 1000 24" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      {SEGMENTS.filter(({ key }) => props.widths[key] > 0).map(({ key, tone }) => {
        const width = (props.widths[key] / props.whole) * 1000
        const segment = (
          <a href={listHref('', key)} tabindex={-1}>
            <title>{`${STATUS_FILTERS[key]}: ${props.counts[key]}`}</title>
            <rect class={tone} x={x.toFixed(2)} y="0" width={width.toFixed(2)} height="24" />
          </a>
        )
        x += width
        return segment
      })}
    </svg>
  )
}
