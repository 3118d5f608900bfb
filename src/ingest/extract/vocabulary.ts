/**
 * General English news vocabulary the extractors lean on. All entries are lower-case; multi-word entries are
 * matched as token sequences.
 */

const set = (text: string): Set<string> => new Set(text.trim().split(/\s*,\s*/).filter(Boolean));

/** Head nouns of offices: a role mention must contain one of these. */
export const TITLE_HEADS = set(`
  spokesman, spokeswoman, spokesperson, spokespeople, secretary, minister, president, premier, chancellor,
  ambassador, governor, mayor, senator, congressman, congresswoman, representative, lawmaker, legislator, mp,
  chairman, chairwoman, chair, chairperson, director, ceo, cfo, coo, cto, executive, manager, head, leader,
  analyst, economist, strategist, professor, researcher, scientist, official, commissioner, general, admiral,
  colonel, major, captain, lieutenant, sergeant, commander, officer, coach, striker, midfielder, defender,
  goalkeeper, player, judge, justice, attorney, prosecutor, lawyer, solicitor, barrister, king, queen, prince,
  princess, pope, emperor, sheikh, adviser, advisor, envoy, diplomat, consul, treasurer, founder, co-founder,
  editor, correspondent, reporter, actor, actress, singer, producer, chief, deputy, superintendent, inspector,
  detective, constable, sheriff, chancellor, dean, principal, rector, bishop, archbishop, cardinal, rabbi, imam,
  partner, economist, owner, boss, president-elect, vice-president, vice-chairman, spokesmen, officials,
  inspector-general, secretary-general, director-general, commissioner-general, mufti, councillor, councilor,
  speaker, whip, delegate, negotiator, regulator, investigator, ombudsman, auditor, controller, governor-general,
  premier-elect, chairman-elect, dj, star, winger, forward, skipper, manager, boss
`);

/** Words that narrow an office ("Defense Secretary", "Prime Minister", "chief executive"). */
export const TITLE_MODIFIERS = set(`
  defense, defence, foreign, finance, home, interior, health, trade, commerce, justice, education, energy,
  environment, culture, agriculture, labor, labour, transport, transportation, state, prime, vice, deputy,
  assistant, chief, executive, general, senior, junior, acting, former, shadow, managing, attorney, press,
  first, under, permanent, associate, lead, head, principal, special, top, treasury, economy, economic,
  industry, technology, science, security, information, communications, sports, sport, tourism, housing,
  welfare, immigration, development, cabinet, national, military, police, army, navy, naval, air, force,
  regional, provincial, municipal, district, county, city, party, team, club, company, group, division,
  operating, financial, technical, marketing, public, legal, political, international, european, media,
  presidential, interim, outgoing, incoming, founding, presiding, supreme, high, court, crown, royal, chief-executive,
  executive-director, policy, market, markets, investment, research, sales, product, news, labs, and, nation's, country's, company's, government's, ministry's, party's, club's, team's
`);

/** Courtesy titles: they mark a person and hint at gender. */
export const HONORIFICS: Record<string, 'm' | 'f' | null> = {
  mr: 'm', 'mr.': 'm', mister: 'm', sir: 'm', lord: 'm', ms: 'f', 'ms.': 'f', mrs: 'f', 'mrs.': 'f', miss: 'f',
  madam: 'f', madame: 'f', dame: 'f', lady: 'f', dr: null, 'dr.': null, prof: null, 'prof.': null,
  rev: null, 'rev.': null, gen: null, 'gen.': null, sen: null, 'sen.': null, rep: null, 'rep.': null,
  gov: null, 'gov.': null, col: null, 'col.': null, capt: null, 'capt.': null, lt: null, 'lt.': null,
  sgt: null, 'sgt.': null, pres: null, 'pres.': null, mme: 'f', mlle: 'f', herr: 'm', frau: 'f',
};

export const FEMALE_TITLES = set(`
  spokeswoman, chairwoman, congresswoman, actress, queen, princess, empress, duchess, countess, baroness,
  businesswoman, sportswoman, policewoman, mother, wife, daughter, sister, widow, girl, woman, madam, dame, lady
`);
export const MALE_TITLES = set(`
  spokesman, chairman, congressman, actor, king, prince, emperor, duke, count, baron, businessman, sportsman,
  policeman, father, husband, son, brother, widower, boy, man, sheikh, sir, lord
`);

/** Head words of organization names: a capitalized run containing one is not a person. */
export const ORG_WORDS = set(`
  ministry, department, government, council, committee, commission, agency, bureau, office, administration,
  authority, board, bank, company, corporation, corp, inc, ltd, plc, llc, co, group, holdings, association,
  federation, union, league, party, parliament, congress, senate, assembly, court, tribunal, university,
  college, school, institute, academy, foundation, fund, trust, society, organization, organisation, army,
  navy, fleet, force, forces, police, guard, service, services, network, news, press, times, post, daily,
  journal, herald, tribune, gazette, telegraph, television, tv, radio, broadcasting, agency, exchange, market,
  markets, airlines, airways, airport, motors, industries, systems, technologies, labs, laboratories,
  hospital, clinic, church, club, fc, united, city, county, province, state, states, republic, kingdom, union,
  nations, democrat, republican, liberal, socialist, communist, nationalist, unionist, tory, democrats, republicans, conservatives, tories, labour, liberals, greens, dialogue, summit, forum,
  conference, games, olympics, cup, championship, championships, festival, expo, meeting, election, talks,
  session, treaty, accord, agreement, act, bill, law, war, crisis, street, road, avenue, square, river,
  mountain, mountains, sea, ocean, lake, island, islands, bay, gulf, valley, wall, bridge, station, tower,
  palace, house, hall, center, centre, museum, stadium, park, prize, award, awards, index, day, week, year,
  opera, theatre, theater, project, programme, program, initiative, strategy, plan, report, cabinet,
  secretariat, chamber, chambers, command, brigade, regiment, division, battalion, squadron, corps, unit,
  mission, embassy, consulate, delegation, campaign, movement, front, alliance, coalition, organisation,
  centre, times, reuters, xinhua, ap, afp, bbc, cnn, security, affairs, relations, defense, defence, health,
  communications, energy, finance, trade, commerce, olympic, world, global, international, national,
  federal, central, general, strategic, economic, financial, cyber, internet, online, web, software, studios,
  pictures, records, entertainment, media, publishing, brothers, partners, capital, investments, securities,
  insurance, energy, oil, gas, petroleum, power, electric, telecom, telecommunications, mobile, airline,
  research, dem, dems, conservative, show, exhibition, charity, consultancy, railroad, railway, railways, bancorp, bancshares, financial
`);

/** Countries, demonyms, big cities and regions commonly printed capitalized next to names. */
export const PLACES = set(`
  china, chinese, beijing, shanghai, hong kong, taiwan, taipei, tibet, xinjiang, macao, macau, japan, japanese,
  tokyo, korea, korean, seoul, pyongyang, india, indian, new delhi, delhi, mumbai, pakistan, pakistani,
  afghanistan, afghan, iran, iranian, iraq, iraqi, syria, syrian, israel, israeli, palestine, palestinian,
  gaza, egypt, egyptian, saudi, arabia, saudi arabia, turkey, turkish, russia, russian, moscow, ukraine,
  ukrainian, kiev, kyiv, europe, european, eu, britain, british, uk, u.k., england, english, scotland,
  scottish, wales, welsh, ireland, irish, london, france, french, paris, germany, german, berlin, italy,
  italian, rome, spain, spanish, madrid, portugal, portuguese, netherlands, dutch, belgium, belgian, brussels,
  switzerland, swiss, geneva, sweden, swedish, norway, norwegian, denmark, danish, finland, finnish, poland,
  polish, greece, greek, austria, austrian, vienna, hungary, czech, america, american, americans, u.s., us,
  usa, u.s.a., united states, washington, new york, california, texas, florida, virginia, north carolina,
  south carolina, georgia, ohio, michigan, illinois, chicago, boston, los angeles, san francisco, canada,
  canadian, ottawa, mexico, mexican, brazil, brazilian, argentina, argentine, chile, chilean, colombia,
  venezuela, cuba, cuban, australia, australian, sydney, canberra, new zealand, africa, african, nigeria,
  nigerian, kenya, kenyan, south africa, ethiopia, asia, asian, asia-pacific, pacific, atlantic, middle east,
  vietnam, vietnamese, thailand, thai, indonesia, indonesian, malaysia, malaysian, singapore, philippines,
  philippine, filipino, myanmar, cambodia, laos, mongolia, kazakhstan, bangladesh, sri lanka, nepal, libya,
  tunisia, algeria, morocco, sudan, somalia, yemen, jordan, lebanon, qatar, kuwait, dubai, emirates, uae,
  west, east, north, south, western, eastern, northern, southern, arab, muslim, christian, nato, un, u.n.,
  wto, imf, who, opec, asean, apec, g20, g8, g7, brics, sino, anglo, euro, eurozone, latin, scandinavian,
  chengdu, guangzhou, shenzhen, wuhan, nanjing, chongqing, tianjin, hefei, xi'an, lhasa, peking, manila, hanoi,
  bangkok, jakarta, kuala lumpur, cairo, tehran, baghdad, damascus, jerusalem, tel aviv, ankara, istanbul,
  riyadh, kabul, islamabad
`);

export const MONTHS_AND_DAYS = set(`
  january, february, march, april, may, june, july, august, september, october, november, december, jan, feb,
  mar, apr, jun, jul, aug, sep, sept, oct, nov, dec, monday, tuesday, wednesday, thursday, friday, saturday,
  sunday, today, yesterday, tomorrow, christmas, easter, ramadan
`);

/** Capitalized only because they open a sentence or a heading. */
export const FUNCTION_WORDS = set(`
  the, a, an, and, but, or, nor, so, yet, for, in, on, at, to, of, by, with, from, as, if, when, while, after,
  before, since, until, because, although, though, however, meanwhile, moreover, also, this, that, these,
  those, there, here, it, its, he, she, they, we, i, you, his, her, their, our, my, your, him, them, us, who,
  what, which, where, why, how, all, some, many, most, more, other, another, each, every, both, no, not, one,
  two, three, four, five, six, seven, eight, nine, ten, first, second, third, last, next, new, old, under,
  over, about, against, during, without, within, through, between, among, according, earlier, later, then,
  now, still, even, only, just, such, than, mr, ms, mrs, dr, will, would, can, could, should, may, might, must,
  do, does, did, is, are, was, were, be, been, has, have, had, said, says, say, despite, amid, following, via,
  further, instead, indeed, thus, therefore, nevertheless, otherwise, overall, finally, together, already,
  chief, once, twice, let, please, yes, asked
`);

/** Reporting verbs of attribution, in the forms news copy uses. */
export const SPEECH_VERBS = [
  'said', 'says', 'told', 'tells', 'added', 'adds', 'stated', 'noted', 'stressed', 'stresses', 'urged', 'urges',
  'warned', 'warns', 'announced', 'announces', 'explained', 'explains', 'argued', 'argues', 'insisted',
  'insists', 'claimed', 'asserted', 'asserts', 'continued', 'replied', 'responded', 'commented', 'observed',
  'emphasized', 'emphasised', 'emphasizes', 'emphasises', 'declared', 'declares', 'remarked', 'confirmed',
  'confirms', 'acknowledged', 'acknowledges', 'admitted', 'admits', 'maintained', 'maintains', 'reiterated',
  'reiterates', 'suggested', 'wrote', 'writes', 'tweeted', 'recalled', 'predicted', 'predicts', 'concluded',
  'pointed out', 'points out', 'cautioned', 'revealed', 'indicated', 'disclosed', 'conceded', 'contended',
  'alleged', 'alleges', 'testified', 'explained', 'complained', 'estimated', 'estimates', 'calculated',
];

/** Nouns for documents and media as sources: "according to media reports" is no person's quote. */
export const DOCUMENT_SOURCES = set(`
  report, reports, media, statement, statements, study, studies, survey, surveys, poll, polls, data, figures,
  statistics, estimates, estimate, research, document, documents, records, analysis, findings, forecast,
  forecasts, reports, sources, source, rumors, rumours, accounts, account, census, results, information,
  calculations, reckoning, records, filings, filing, release, transcript, website, tally, count, preliminary,
  initial, official, unofficial, latest, local, state, news, press, recent, previous, earlier, some, several,
  other, one, the, a, an, its, their, his, her, these, those, this, that, according
`);

/** Common nouns that stand for an organization or group when they are the speaker. */
export const GROUP_SPEAKERS = set(`
  officials, official, police, prosecutors, authorities, government, ministry, company, firm, group, analysts,
  experts, economists, investigators, witnesses, residents, critics, observers, organizers, organisers,
  spokespeople, lawmakers, ministers, doctors, scientists, researchers, diplomats, sources, activists, agency,
  bank, court, army, military, committee, council, union, party, club, team, board, campaigners, protesters,
  workers, students, officers, troops, rebels, militants, fans, traders, dealers, brokers, people, managers,
  executives, leaders, members, supporters, opponents, tories, democrats, republicans, conservatives,
  trader, dealer, broker, banker, investor, source, witness, resident, observer, expert, insider, aide, aides
`);

export const EVENT_HEADS = [
  'Dialogue', 'Summit', 'Conference', 'Forum', 'Games', 'Olympics', 'Paralympics', 'Congress', 'Session',
  'Talks', 'Cup', 'Championship', 'Championships', 'Festival', 'Expo', 'Exposition', 'Meeting', 'Election',
  'Elections', 'Open', 'Grand Prix', 'Tournament', 'Marathon', 'Convention', 'Plenum', 'Plenary Session',
  'Awards', 'Oscars', 'Biennale', 'Fair', 'Symposium', 'Assembly', 'Round', 'Series', 'Derby', 'Classic',
  'Referendum', 'Primary', 'Caucus', 'Ceremony', 'Parade', 'Exercise', 'Exercises', 'Drill', 'Drills',
];

/**
 * Common given names by gender, as printed in English-language news. They tell a person from an
 * organization ("Frank Cronin", not "Pan Am") and let he/she pick between two people.
 */
export const MALE_NAMES = set(`
  aaron, abdul, abdullah, adam, adrian, ahmed, alan, albert, alberto, alex, alexander, alexei, alfred, ali,
  allan, alastair, alistair, andre, andrea, andreas, andrew, andy, angelo, anthony, antonio, arnold, arthur,
  barry, ben, benjamin, bernard, bill, billy, bob, bobby, boris, brad, brendan, brian, bruce, bryan, carl,
  carlos, charles, charlie, chris, christian, christopher, chuck, clive, colin, craig, dan, daniel, danny,
  darren, dave, david, dean, denis, dennis, derek, des, desmond, dick, diego, dmitry, dominic, don, donald,
  doug, douglas, duncan, eddie, edward, eric, erik, ernest, eugene, felipe, fernando, francesco, francis,
  francisco, frank, fred, frederick, gareth, gary, gavin, geoff, geoffrey, george, gerald, gerard, gerry,
  gianni, giovanni, giuseppe, glenn, gordon, graham, greg, gregory, guy, hans, harold, harry, hassan,
  hector, helmut, henri, henry, herbert, howard, hugh, hugo, iain, ian, igor, ivan, jack, jacques, jake,
  james, jamie, jan, jason, javier, jean, jeff, jeffrey, jeremy, jerry, jim, jimmy, joe, joel, johan,
  johann, john, johnny, jon, jonah, jonathan, jorge, jose, josef, joseph, juan, julian, karl, keith, ken,
  kenneth, kevin, klaus, kurt, lance, larry, lee, leon, leonard, lewis, lloyd, louis, luc, luis, luke,
  malcolm, manuel, marc, marco, mario, mark, martin, matt, matthew, max, michael, michel, miguel, mike,
  mikhail, mohammed, muhammad, nathan, neil, nick, nicholas, nicolas, nigel, norman, oliver, oscar, owen,
  pablo, paolo, pascal, patrick, paul, pedro, peter, phil, philip, philippe, pierre, rafael, ralph, ray,
  raymond, reidar, richard, rick, rob, robert, robin, rod, roger, roland, ron, ronald, ross, roy, rupert,
  russell, ryan, sam, samuel, scott, sean, sebastian, sergei, shaun, simon, stanley, stefan, stephen,
  steve, steven, stuart, ted, terry, thomas, tim, timothy, todd, tom, tommie, tommy, tony, trevor, vincent,
  vladimir, walter, warren, wayne, william, willie, wolfgang, yuri
`);

export const FEMALE_NAMES = set(`
  abigail, alice, alison, amanda, amy, ana, andrea, angela, angelina, ann, anna, anne, annie, barbara,
  becky, beth, betty, beverley, brenda, bridget, carla, carol, caroline, carolyn, catherine, charlotte,
  cheryl, christine, claire, clare, claudia, cynthia, deborah, debbie, diana, diane, donna, dorothy, edith,
  eleanor, elizabeth, ellen, emily, emma, erica, eva, fiona, frances, gail, gillian, gloria, grace, hannah,
  harriet, hazel, heather, helen, helena, hillary, ingrid, irene, isabel, jacqueline, jane, janet, janice,
  jean, jennifer, jenny, jessica, jill, joan, joanna, joanne, josephine, joyce, judith, judy, julia,
  julie, karen, kate, katherine, kathleen, kathryn, kathy, kelly, kim, kirsty, laura, lauren, linda, lisa,
  liz, lorraine, louise, lucy, lynn, madeleine, margaret, maria, marie, marion, martha, mary, maureen,
  melanie, michelle, mira, miriam, monica, nancy, natalie, natasha, nicola, nicole, olga, pamela, patricia,
  paula, pauline, penny, rachel, rebecca, reese, rita, rosa, rose, ruth, sally, samantha, sandra, sarah,
  sharon, sheila, sherry, shirley, sonia, sophie, stephanie, sue, susan, suzanne, sylvia, tessa, theresa,
  tina, tracey, valerie, vanessa, victoria, virginia, wendy, yvonne, zoe
`);

/** Common nouns that, printed right before a capitalized name, make it an organization ("investment firm Grant Samuel"). */
export const ORG_PRECEDERS = set(`
  firm, company, group, bank, agency, consultancy, charity, insurer, carrier, airline, retailer, maker,
  manufacturer, brokerage, broker, fund, network, chain, operator, giant, subsidiary, unit, conglomerate,
  publisher, studio, label, website, site, newspaper, magazine, broadcaster, channel, watchdog, regulator,
  lender, miner, producer, developer, supplier, distributor, exchange, band, club, team, organisation,
  organization, association, union, housebuilder, carmaker, automaker, drugmaker, chipmaker, steelmaker,
  shipbuilder, brewer, grocer, supermarket, utility, outfit, journal, bourse, tabloid, newsletter, think-tank, thinktank
`);

/** What "told" takes before the reported clause: "told reporters", "told a news conference". */
export const AUDIENCE_NOUNS = set(`
  reporters, journalists, newsmen, correspondents, conference, briefing, meeting, audience, gathering,
  committee, subcommittee, panel, hearing, parliament, congress, senate, mps, lawmakers, legislators,
  senators, delegates, investors, analysts, shareholders, members, supporters, students, crowd, radio,
  television, programme, program, show, newspaper, magazine, interview, him, her, them, us, me, listeners,
  viewers, readers, fans, workers, staff, employees, colleagues, officials, agency, service, channel, website
`);
