/**
 * The site's «Страница не найдена» page that live answers for any path that is not an API route
 * (text/html; charset=UTF-8, about 12.7k characters). The markup is a stand-in of the same size and title.
 */

const CITIES = [
  'Москва', 'Санкт-Петербург', 'Новосибирск', 'Екатеринбург', 'Казань', 'Нижний Новгород', 'Челябинск', 'Красноярск', 'Самара', 'Уфа',
  'Ростов-на-Дону', 'Омск', 'Краснодар', 'Воронеж', 'Пермь', 'Волгоград', 'Саратов', 'Тюмень', 'Томск', 'Барнаул', 'Кемерово',
  'Новокузнецк', 'Прокопьевск', 'Междуреченск', 'Иркутск', 'Хабаровск', 'Владивосток', 'Ярославль', 'Оренбург', 'Рязань', 'Пенза',
  'Липецк', 'Тула', 'Киров', 'Чебоксары', 'Калининград', 'Курск', 'Улан-Удэ', 'Ставрополь', 'Сочи', 'Тверь', 'Магнитогорск',
  'Белгород', 'Сургут', 'Владимир', 'Архангельск', 'Чита', 'Калуга',
];
const SECTIONS = ['Концерты', 'Театр', 'Детям', 'Выставки', 'Стендап', 'Фестивали', 'Экскурсии', 'Мастер-классы', 'Спорт', 'Кино'];
const FOOTER = ['О компании', 'Организаторам', 'Партнёрам', 'API', 'Вакансии', 'Контакты', 'Вернуть билет', 'Политика конфиденциальности', 'Публичная оферта', 'Помощь'];

const cityLinks = CITIES.map((city, i) => `        <li class="city-list__item"><a class="city-list__link" href="https://qtickets.ru/city/${i + 1}" data-city-id="${i + 1}">${city}</a></li>`).join('\n');
const sectionLinks = SECTIONS.map((s, i) => `          <li class="menu__item"><a class="menu__link" href="https://qtickets.ru/category/${i + 1}">${s}</a></li>`).join('\n');
const footerLinks = FOOTER.map((s, i) => `        <li class="footer__item"><a class="footer__link" href="https://qtickets.ru/page/${i + 1}">${s}</a></li>`).join('\n');

export const NOT_FOUND_PAGE = `<!DOCTYPE html>
<html lang="ru">
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">
  <meta http-equiv="X-UA-Compatible" content="ie=edge">
  <title>Страница не найдена 404 – Qtickets</title>
  <meta name="description" content="Qtickets — сервис продажи билетов на концерты, спектакли, выставки и другие мероприятия.">
  <meta name="robots" content="noindex, nofollow">
  <link rel="icon" type="image/png" href="https://qtickets.ru/themes/qtickets/assets/images/favicon.png">
  <link rel="stylesheet" href="https://qtickets.ru/themes/qtickets/assets/css/app.css?v=20240518">
  <style>
    body { margin: 0; font-family: "Roboto", "Helvetica Neue", Arial, sans-serif; color: #1d1d1f; background: #f5f6f8; }
    .header { display: flex; align-items: center; justify-content: space-between; padding: 16px 40px; background: #ffffff; box-shadow: 0 1px 4px rgba(0, 0, 0, .08); }
    .header__logo { display: inline-block; width: 140px; height: 32px; background: url("https://qtickets.ru/themes/qtickets/assets/images/logo.svg") no-repeat center / contain; }
    .menu { display: flex; gap: 24px; margin: 0; padding: 0; list-style: none; }
    .menu__link { color: #1d1d1f; text-decoration: none; font-size: 15px; }
    .menu__link:hover { color: #e4003a; }
    .error { max-width: 960px; margin: 64px auto; padding: 48px; text-align: center; background: #ffffff; border-radius: 12px; }
    .error__code { margin: 0; font-size: 120px; font-weight: 700; line-height: 1; color: #e4003a; }
    .error__title { margin: 24px 0 8px; font-size: 28px; }
    .error__text { margin: 0 0 32px; font-size: 16px; color: #6e6e73; }
    .error__button { display: inline-block; padding: 14px 32px; color: #ffffff; background: #e4003a; border-radius: 8px; text-decoration: none; }
    .city-list { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px 24px; max-width: 960px; margin: 0 auto 64px; padding: 0; list-style: none; }
    .city-list__link { color: #3a3a3c; text-decoration: none; font-size: 14px; }
    .footer { padding: 32px 40px; color: #8e8e93; background: #1d1d1f; }
    .footer__list { display: flex; flex-wrap: wrap; gap: 16px 32px; margin: 0 0 24px; padding: 0; list-style: none; }
    .footer__link { color: #d1d1d6; text-decoration: none; font-size: 14px; }
    .footer__copy { margin: 0; font-size: 13px; }
    @media (max-width: 768px) { .header { padding: 12px 16px; } .menu { display: none; } .city-list { grid-template-columns: repeat(2, 1fr); padding: 0 16px; } }
  </style>
</head>
<body class="page page--404">
  <header class="header">
    <a class="header__logo" href="https://qtickets.ru/" title="Qtickets"></a>
    <nav class="header__nav">
      <div class="header__menu">
        <ul class="menu">
${sectionLinks}
        </ul>
      </div>
    </nav>
    <a class="header__login" href="https://qtickets.ru/organizer">Вход для организаторов</a>
  </header>
  <main class="main">
    <section class="error">
      <p class="error__code">404</p>
      <h1 class="error__title">Страница не найдена</h1>
      <p class="error__text">Возможно, она была удалена, перенесена или вы ошиблись в адресе. Попробуйте начать с главной страницы или выберите свой город.</p>
      <a class="error__button" href="https://qtickets.ru/">На главную</a>
    </section>
    <section class="cities">
      <ul class="city-list">
${cityLinks}
      </ul>
    </section>
  </main>
  <footer class="footer">
    <div class="footer__inner">
      <ul class="footer__list">
${footerLinks}
      </ul>
      <p class="footer__copy">© 2014–2025 Qtickets. Сервис продажи электронных билетов. Все права защищены.</p>
      <p class="footer__copy">Служба поддержки: <a class="footer__link" href="mailto:support@qtickets.ru">support@qtickets.ru</a></p>
    </div>
  </footer>
  <script src="https://qtickets.ru/themes/qtickets/assets/js/vendor.js?v=20240518" defer></script>
  <script src="https://qtickets.ru/themes/qtickets/assets/js/app.js?v=20240518" defer></script>
</body>
</html>
`;
