INSERT INTO orders (customer, product, quantity, country) VALUES ('alice', 'Mechanical keyboard', 1, 'DE');
INSERT INTO orders (customer, product, quantity, country) VALUES ('alice', 'USB-C dock', 2, 'FR');
-- No VAT rate for CH below: rendering this order's invoice fails.
INSERT INTO orders (customer, product, quantity, country) VALUES ('bob', 'Standing desk', 1, 'CH');

INSERT INTO tax_rates (country, rate) VALUES ('DE', 0.1900);
INSERT INTO tax_rates (country, rate) VALUES ('FR', 0.2000);
INSERT INTO tax_rates (country, rate) VALUES ('AT', 0.2000);
