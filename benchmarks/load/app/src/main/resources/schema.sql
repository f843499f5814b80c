create table orders (
  id bigint primary key,
  customer varchar(64) not null,
  item varchar(64) not null,
  amount_cents bigint not null
);
insert into orders (id, customer, item, amount_cents)
  select x, 'customer-' || mod(x, 97), 'item-' || mod(x, 31), x * 137 from system_range(1, 1000);
