<?xml version="1.0" encoding="utf-8"?>
<!-- Shows the RSS and Atom feeds of /aktuelles/ as a German page when someone opens them in a
     browser: what a feed is, how to subscribe, and the entries. Feed readers ignore it. Only the
     site's own stylesheet is linked (the Content-Security-Policy of the feed allows nothing
     inline). -->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:atom="http://www.w3.org/2005/Atom"
                exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="feed-title" select="/rss/channel/title | /atom:feed/atom:title"/>
  <xsl:variable name="feed-address"
                select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>

  <xsl:template match="/">
    <html lang="de">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="$feed-title"/> – Feed</title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
        <header class="site-header">
          <div class="wrap site-header__inner">
            <a class="brand" href="/">
              <span class="brand__mark">KOSS</span>
              <span class="brand__text">
                <span class="brand__name">Kompetenzzentrum Strategische Sozialplanung</span>
                <span class="brand__org">LIGA der Freien Wohlfahrtspflege in Thüringen e.V.</span>
                <span class="visually-hidden">– zur Startseite</span>
              </span>
            </a>
          </div>
        </header>
        <main id="inhalt" class="wrap site-main">
          <h1>Aktuelles von KOSS als Feed abonnieren</h1>
          <section class="panel" aria-labelledby="feed-what">
            <h2 id="feed-what">Was ist ein Feed?</h2>
            <p>Sie sehen einen Feed (<xsl:value-of select="$feed-title"/>): die neuesten
              Pressemitteilungen, Meldungen und Veranstaltungshinweise in einer Form, die
              Feedreader lesen. Abonnieren Sie ihn, zeigt Ihnen Ihr Feedreader jeden neuen Beitrag
              von selbst an – ohne Anmeldung und ohne Angabe einer E-Mail-Adresse.</p>
            <h2 id="feed-how">So abonnieren Sie den Feed</h2>
            <ol>
              <li>Kopieren Sie die Adresse dieser Seite:
                <code class="feed-address"><xsl:value-of select="$feed-address"/></code></li>
              <li>Fügen Sie sie in Ihrem Feedreader als neues Abonnement ein – etwa in einer
                Feedreader-App, in Ihrem E-Mail-Programm (zum Beispiel Thunderbird) oder in einer
                Browser-Erweiterung.</li>
            </ol>
            <p>Lieber auf der Website lesen? <a href="/aktuelles/">Alle Beiträge unter
              „Aktuelles“</a></p>
          </section>
          <h2>Die neuesten Beiträge</h2>
          <ul class="card-list">
            <xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/>
          </ul>
        </main>
        <footer class="site-footer">
          <nav class="wrap" aria-label="Rechtliches und Service">
            <ul class="site-footer__links">
              <li><a href="/kontakt/">Kontakt</a></li>
              <li><a href="/impressum/">Impressum</a></li>
              <li><a href="/datenschutz/">Datenschutz</a></li>
              <li><a href="/barrierefreiheit/">Barrierefreiheit</a></li>
            </ul>
          </nav>
        </footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item | atom:entry">
    <li class="card card--article">
      <p class="card__meta">
        <span class="badge"><xsl:value-of select="category | atom:category/@term"/></span>
        <xsl:text> </xsl:text>
        <xsl:apply-templates select="pubDate | atom:published" mode="date"/>
      </p>
      <h3 class="card__title">
        <a href="{link | atom:link[@rel='alternate']/@href}"><xsl:value-of select="title | atom:title"/></a>
      </h3>
      <p><xsl:value-of select="description | atom:summary"/></p>
    </li>
  </xsl:template>

  <!-- "Wed, 07 Oct 2014 10:00:00 +0200" (RSS) or "2014-10-07T10:00:00+02:00" (Atom), both in
       the portal's time zone, as "7. Oktober 2014". -->
  <xsl:template match="pubDate" mode="date">
    <xsl:call-template name="german-date">
      <xsl:with-param name="day" select="number(substring(., 6, 2))"/>
      <xsl:with-param name="month"
                      select="(string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring(., 9, 3))) div 3) + 1"/>
      <xsl:with-param name="year" select="substring(., 13, 4)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="atom:published" mode="date">
    <xsl:call-template name="german-date">
      <xsl:with-param name="day" select="number(substring(., 9, 2))"/>
      <xsl:with-param name="month" select="number(substring(., 6, 2))"/>
      <xsl:with-param name="year" select="substring(., 1, 4)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="german-date">
    <xsl:param name="day"/>
    <xsl:param name="month"/>
    <xsl:param name="year"/>
    <xsl:variable name="months"
                  select="'Januar    Februar   März      April     Mai       Juni      Juli      August    September Oktober   November  Dezember  '"/>
    <xsl:value-of select="concat($day, '. ', normalize-space(substring($months, ($month - 1) * 10 + 1, 10)), ' ', $year)"/>
  </xsl:template>
</xsl:stylesheet>
