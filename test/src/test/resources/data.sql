INSERT INTO customers (id, name) VALUES (1, 'Ada');
INSERT INTO orders (id, product) VALUES (1, 'Webcam');
