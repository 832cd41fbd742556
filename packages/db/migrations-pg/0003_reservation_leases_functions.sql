-- Reservation leases on PostgreSQL (decision 030): admission writes lease_until, and expired
-- leases are released one reservation at a time by tessera_release_expired. The readable source of
-- both functions is packages/api/src/storage/pg/money-functions.sql. tessera_admit gains an
-- argument (p_lease_ms), so its old signature is dropped rather than left as an overload.
drop function if exists tessera_admit(text, text, text, bigint, bigint, bigint, text, bigint, bigint, bigint, bigint, bigint, bigint);
--> statement-breakpoint

-- Admission (decision 028), now writing the holder's lease with the reservation.
create or replace function tessera_admit(
  p_request_id text, p_user_id text, p_model_id text,
  p_input_tokens bigint, p_max_output_tokens bigint, p_now bigint, p_holder text, p_lease_ms bigint,
  p_minute bigint, p_minute_limit bigint, p_day bigint, p_day_limit bigint,
  p_month bigint, p_month_limit bigint,
  out o_outcome text, out o_amount bigint, out o_owner text)
language plpgsql as $$
#variable_conflict use_column
declare
  v_input_price bigint;
  v_output_price bigint;
  v_reserve bigint;
  v_minute_ok boolean;
  v_day_ok boolean;
  v_month_ok boolean;
  v_day_requests bigint;
  v_month_credits bigint;
  v_account record;
begin
  perform 1 from credit_accounts where user_id = p_user_id for update;

  select input_price_per_million, output_price_per_million into v_input_price, v_output_price
    from models where id = p_model_id and active;
  if not found then
    -- A reconnect finds its reservation even if the model was switched off meanwhile.
    select user_id, amount into o_owner, o_amount from credit_reservations where id = p_request_id;
    o_outcome := case when found then 'replay' else 'model_unavailable' end;
    return;
  end if;
  v_reserve := ceil(p_input_tokens * v_input_price / 1000000.0)::bigint
             + ceil(p_max_output_tokens * v_output_price / 1000000.0)::bigint;

  -- The holder vouches for the reservation until lease_until, renewing it while it answers
  -- (decision 030); past it, any instance may release it.
  insert into credit_reservations (id, user_id, amount, status, created_at, holder, lease_until)
    values (p_request_id, p_user_id, v_reserve, 'open', p_now, p_holder, p_now + p_lease_ms)
    on conflict (id) do nothing;
  if not found then
    -- The id exists: a reconnect (same user), or someone else's id (the adapter says CONFLICT).
    select user_id, amount into o_owner, o_amount from credit_reservations where id = p_request_id;
    if not found then
      raise exception 'reservation % conflicted but cannot be read', p_request_id;
    end if;
    o_outcome := 'replay';
    return;
  end if;

  if p_minute_limit = 0 then
    raise exception using errcode = 'TS001', message = 'rate_limited';
  end if;
  if p_day_limit = 0 then
    raise exception using errcode = 'TS001', message = 'day', detail = '{}';
  end if;
  if p_month_limit = 0 then
    raise exception using errcode = 'TS001', message = 'month';
  end if;

  -- +1 request in each window, only while below its limit; a window at its limit is missing from
  -- what comes back.
  with counted as (
    insert into usage_counters as u (user_id, "window", period_start, requests)
      select p_user_id, w.name, w.start, 1
      from (values ('minute', p_minute), ('day', p_day), ('month', p_month)) as w (name, start)
      where w.name <> 'minute' or p_minute_limit is not null
    on conflict (user_id, "window", period_start) do update set requests = u.requests + 1
      where u.requests < case u."window" when 'minute' then p_minute_limit
                                         when 'day' then p_day_limit else p_month_limit end
    returning u."window" as name, u.requests, u.credits)
  select coalesce(bool_or(name = 'minute'), false), coalesce(bool_or(name = 'day'), false),
         coalesce(bool_or(name = 'month'), false),
         max(requests) filter (where name = 'day'), max(credits) filter (where name = 'month')
    into v_minute_ok, v_day_ok, v_month_ok, v_day_requests, v_month_credits
    from counted;
  if p_minute_limit is not null and not v_minute_ok then
    raise exception using errcode = 'TS001', message = 'rate_limited';
  end if;
  if not v_day_ok then
    raise exception using errcode = 'TS001', message = 'day', detail = coalesce((
      select json_build_object('dailyCap', daily_request_cap)::text
      from credit_accounts where user_id = p_user_id), '{}');
  end if;
  if not v_month_ok then
    raise exception using errcode = 'TS001', message = 'month';
  end if;

  update credit_accounts set reserved = reserved + v_reserve, updated_at = p_now
    where user_id = p_user_id and balance - reserved >= v_reserve
      and (daily_request_cap is null or daily_request_cap >= v_day_requests)
      and (monthly_credit_cap is null or monthly_credit_cap - reserved - v_month_credits >= v_reserve);
  if not found then
    select balance, reserved, daily_request_cap, monthly_credit_cap into v_account
      from credit_accounts where user_id = p_user_id;
    raise exception using errcode = 'TS001', message = 'credits', detail = json_build_object(
      'needed', v_reserve, 'dayRequests', v_day_requests, 'balance', v_account.balance,
      'reserved', v_account.reserved, 'dailyCap', v_account.daily_request_cap,
      'monthlyCap', v_account.monthly_credit_cap)::text;
  end if;
  o_outcome := 'admitted';
  o_amount := v_reserve;
  o_owner := p_user_id;
end $$;
--> statement-breakpoint

-- The release of one expired reservation, exactly once (decision 030).
create or replace function tessera_release_expired(
  p_request_id text, p_now bigint, p_stale_before bigint, p_day bigint, p_month bigint,
  out o_outcome text)
language plpgsql as $$
#variable_conflict use_column
declare
  v_user text;
  v_settled text;
begin
  select user_id into v_user from credit_reservations where id = p_request_id;
  if not found then
    o_outcome := 'kept';
    return;
  end if;
  perform 1 from credit_accounts where user_id = v_user for update;
  perform 1 from credit_reservations
    where id = p_request_id and status = 'open'
      and (lease_until < p_now or (lease_until is null and created_at < p_stale_before))
    for update;
  if not found then
    o_outcome := 'kept';
    return;
  end if;
  select s.o_outcome into v_settled from tessera_settle(p_request_id, '', 0, 0, p_now, p_day, p_month, false) s;
  o_outcome := case when v_settled = 'settled' then 'released' else 'kept' end;
end $$;
