import { Field } from '../components/field'
import type { SessionUser } from '../../src/auth/session'
import type { OwnProfile } from '../../src/profile/own-profile'
import type { Locale } from '../../src/text/locale'
import type { Messages } from '../../src/text/messages'
import { formatDateTime, fullName } from '../../src/text/format'
import { PageTitle } from '../components/page-title'

export function PortalHomePage(props: {
  t: Messages
  user: SessionUser
  profile: OwnProfile
  /** The languages to choose from, each named in itself. */
  languages: { code: Locale; name: string }[]
  currentSessionId: string
  notice?: string
  /** Beside the current password of "Sign out other sessions". */
  sessionsError?: string
}) {
  const { user, profile } = props
  const t = props.t.portal
  const others = profile.sessions.filter((s) => s.id !== props.currentSessionId).length
  return (
    <>
      <PageTitle text={t.title} />
      <h1>{t.welcome(profile.firstName)}</h1>
      {props.notice && (
        <p class="alert alert-info" role="status">
          {props.notice}
        </p>
      )}
      <section class="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t.profileHeading}</h2>
        <dl class="details">
          <dt>{t.name}</dt>
          <dd>{fullName(profile)}</dd>
          <dt>{t.credentials}</dt>
          <dd>{profile.credentials || '—'}</dd>
          <dt>{t.practice}</dt>
          <dd>{user.practiceName}</dd>
          <dt>{t.signedInAs}</dt>
          <dd>{user.email}</dd>
          <dt>{t.emailAddresses}</dt>
          <dd>
            <ul class="plain">
              {profile.emails.map((e) => (
                <li>
                  {e.email} {e.isPrimary && <span class="badge badge-muted">{t.primary}</span>}
                </li>
              ))}
            </ul>
          </dd>
        </dl>
        <p class="field-hint">{t.askAdmin}</p>
        <form method="post" action="/portal/language" class="language-form">
          <div class="field">
            <label for="field-language">{t.language}</label>
            <p class="field-hint" id="field-language-hint">
              {t.languageHint}
            </p>
            <select id="field-language" name="language" aria-describedby="field-language-hint">
              {props.languages.map((language) => (
                <option value={language.code} lang={language.code} selected={language.code === profile.language}>
                  {language.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button">
            {t.saveLanguage}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="security-heading">
        <div class="section-head">
          <h2 id="security-heading">{t.securityHeading}</h2>
          <div class="actions actions-wrap">
            <a class="button" href="/portal/password">
              {t.changePassword}
            </a>
            <a class="button" href="/account/two-step">
              {t.twoStep}
            </a>
          </div>
        </div>
        <h3>{t.whereSignedIn}</h3>
        <div class="table-scroll">
          <table class="table table-compact table-stack">
            <thead>
              <tr>
                <th scope="col">{t.device}</th>
                <th scope="col">{t.address}</th>
                <th scope="col">{t.lastSeen}</th>
                <th scope="col">
                  <span class="visually-hidden">{t.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {profile.sessions.map((s) => (
                <tr>
                  <td class="cell-key">
                    {t.deviceName(s.device)}
                    {s.id === props.currentSessionId && <span class="badge badge-success">{t.thisDevice}</span>}
                  </td>
                  <td data-label={t.address}>{s.ip || '—'}</td>
                  <td data-label={t.lastSeen}>{formatDateTime(s.lastSeenAt, user.timeZone, user.language)}</td>
                  <td>
                    {s.id !== props.currentSessionId && (
                      <form method="post" action={`/portal/sessions/${s.id}/end`}>
                        <button type="submit" class="button">
                          {t.endSession}
                          <span class="visually-hidden"> {t.endSessionOf(t.deviceName(s.device))}</span>
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {others > 0 && (
          <form method="post" action="/portal/sessions/end-others" class="below-form stack" novalidate>
            <Field
              label={props.t.password.currentPassword}
              name="currentPassword"
              type="password"
              error={props.sessionsError}
              required
              maxlength={1024}
              autocomplete="current-password"
              hint={t.confirmItIsYou}
              showPasswordLabel={props.t.password.show}
              hidePasswordLabel={props.t.password.hide}
            />
            <button type="submit" class="button">
              {t.signOutOthers}
            </button>
          </form>
        )}
      </section>
    </>
  )
}
