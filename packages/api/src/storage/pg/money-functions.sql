-- The money path on PostgreSQL (docs/decisions/028): each hot transaction is one SQL function, so a
-- chat's admission and its settlement are one round trip each. This file is the readable source of
-- the latest definitions; migrations (packages/db/migrations-pg/, append-only) install them, and a
-- test checks that each statement here is, code for code, the newest migration's statement defining
-- that function (comments outside the bodies may differ). Changing a function here means a new
-- migration carrying the new statement (and dropping the old signature if the arguments change).
--
-- Lock order, in every function: the user's credit_accounts row first (SELECT … FOR UPDATE), then
-- reservations, counters and the ledger. Two money transactions of one user therefore queue on the
-- account row instead of each holding what the other needs (the deadlock admission-then-account
-- vs account-then-counters gave, 40P01). The same lock keeps a user's ledger rows in commit order.
--
-- Ledger ids come from one sequence (credit_ledger_id_seq), never max(id) + 1: unique whatever
-- locks a future writer forgets, and increasing per user because a user's writers queue on the
-- account row. SQLite keeps its per-user counter; readers only rely on (user_id, id) being unique
-- and ordering a user's rows, which both give.
--
-- Refusals raise SQLSTATE 'TS001' (message = which guard, detail = JSON figures): the statement,
-- and with it everything the function wrote, rolls back, and the adapter turns it into the same
-- typed refusal SQLite returns. Periods, limits and keys are computed by the shared TypeScript
-- (time zones, entitlements) and passed in.
create sequence if not exists credit_ledger_id_seq;

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

-- Settlement (and release: zero tokens): close the reservation once, charge allowance first then
-- purchased credits (decision 015), one ledger row per pot, usage counters; optionally the
-- member's `credits.changed` event. A second call for the request changes nothing.
create or replace function tessera_settle(
  p_request_id text, p_model_id text, p_input_tokens bigint, p_output_tokens bigint,
  p_now bigint, p_day bigint, p_month bigint, p_announce boolean,
  out o_outcome text, out o_user_id text, out o_charged bigint, out o_released bigint,
  out o_balance bigint)
language plpgsql as $$
#variable_conflict use_column
declare
  v_user text;
  v_purchased_before bigint;
  v_purchased_after bigint;
  v_input_price bigint;
  v_output_price bigint;
  v_cost bigint;
  v_amount bigint;
  v_from_purchased bigint;
  v_from_allowance bigint;
  v_key text := 'charge:' || p_request_id;
begin
  select user_id into v_user from credit_reservations where id = p_request_id;
  if not found then
    o_outcome := 'unknown_request';
    return;
  end if;
  -- Read under the lock only to say which pot paid, in the ledger.
  select purchased into v_purchased_before from credit_accounts where user_id = v_user for update;

  if p_input_tokens = 0 and p_output_tokens = 0 then
    v_cost := 0;
  else
    select input_price_per_million, output_price_per_million into v_input_price, v_output_price
      from models where id = p_model_id and active;
    -- A model switched off mid-request still costs its worst case: the reservation caps it.
    v_cost := case when found
      then ceil(p_input_tokens * v_input_price / 1000000.0)::bigint
         + ceil(p_output_tokens * v_output_price / 1000000.0)::bigint
      else 9007199254740991 end;
  end if;

  update credit_reservations
    set status = case when least(v_cost, amount) > 0 then 'settled' else 'released' end,
        charged = least(v_cost, amount), settled_at = p_now
    where id = p_request_id and status = 'open'
    returning amount, charged into v_amount, o_charged;
  if not found then
    o_outcome := 'already_settled';
    o_charged := null;
    return;
  end if;

  -- Every SET expression sees the row as it was: `purchased` is computed from the old values.
  update credit_accounts
    set purchased = purchased - greatest(0, o_charged - (balance - purchased)),
        balance = balance - o_charged, reserved = reserved - v_amount, updated_at = p_now
    where user_id = v_user
    returning balance, purchased into o_balance, v_purchased_after;
  if not found then
    raise exception 'credit account missing for %', v_user;
  end if;
  v_from_purchased := case when o_charged > 0 then v_purchased_before - v_purchased_after else 0 end;
  v_from_allowance := o_charged - v_from_purchased;
  if v_from_allowance > 0 then
    insert into credit_ledger (user_id, id, delta, balance_after, kind, pot, idempotency_key, reference, created_at)
      values (v_user, nextval('credit_ledger_id_seq'), -v_from_allowance, o_balance + v_from_purchased,
              'charge', 'allowance', v_key, p_model_id, p_now);
  end if;
  if v_from_purchased > 0 then
    insert into credit_ledger (user_id, id, delta, balance_after, kind, pot, idempotency_key, reference, created_at)
      values (v_user, nextval('credit_ledger_id_seq'), -v_from_purchased, o_balance,
              'charge', 'purchased', v_key || ':purchased', p_model_id, p_now);
  end if;

  insert into usage_counters as u
      (user_id, "window", period_start, requests, input_tokens, output_tokens, credits)
    values (v_user, 'day', p_day, 0, p_input_tokens, p_output_tokens, o_charged),
           (v_user, 'month', p_month, 0, p_input_tokens, p_output_tokens, o_charged)
    on conflict (user_id, "window", period_start) do update set
      input_tokens = u.input_tokens + excluded.input_tokens,
      output_tokens = u.output_tokens + excluded.output_tokens,
      credits = u.credits + excluded.credits;
  if p_announce and o_charged > 0 then
    insert into member_events (user_id, kind, created_at) values (v_user, 'credits.changed', p_now);
  end if;
  o_outcome := 'settled';
  o_user_id := v_user;
  o_released := v_amount - o_charged;
end $$;

-- Releases one reservation whose holder stopped vouching for it (decision 030): its lease ended
-- before p_now or, for a row from before leases (no lease), it was created before p_stale_before.
-- The account is locked first (the lock order), then the reservation row, re-checking the lease on
-- its latest version: a renewal that committed since the caller listed it keeps it ('kept'), and a
-- renewal arriving now waits and then finds it closed. The release itself is tessera_settle with
-- zero tokens, exactly once: of two instances releasing together, one gets 'released'.
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

-- moveCredits (decision 015 "As built"): the ledger row with a delta computed from the locked
-- account, only if no pot and not the balance less what running requests hold goes below zero
-- and the key is new; the account by that delta; audit row; member event. 'unchanged' (nothing
-- written) carries the account's figures so the adapter can explain it as SQLite does.
create or replace function tessera_move_credits(
  p_user_id text, p_pot text, p_mode text, p_amount bigint, p_kind text, p_key text,
  p_reference text, p_actor text, p_now bigint,
  p_audit_action text, p_audit_tenant text, p_audit_actor_label text, p_audit_data jsonb,
  out o_outcome text, out o_delta bigint, out o_balance bigint, out o_purchased bigint,
  out o_reserved bigint)
language plpgsql as $$
#variable_conflict use_column
declare
  v_pot bigint;
begin
  select balance, purchased, reserved into o_balance, o_purchased, o_reserved
    from credit_accounts where user_id = p_user_id for update;
  if not found then
    o_outcome := case when exists (select 1 from credit_ledger where idempotency_key = p_key)
      then 'duplicate' else 'no_account' end;
    return;
  end if;
  v_pot := case when p_pot = 'purchased' then o_purchased else o_balance - o_purchased end;
  o_delta := case p_mode
    when 'add' then p_amount
    when 'set' then p_amount - v_pot
    when 'capAt' then -greatest(0, least(v_pot - p_amount, o_balance - o_reserved))
    else -greatest(0, least(p_amount, v_pot, o_balance - o_reserved)) end;

  insert into credit_ledger (user_id, id, delta, balance_after, kind, pot, idempotency_key, reference, actor_user_id, created_at)
    select p_user_id, nextval('credit_ledger_id_seq'), o_delta, o_balance + o_delta, p_kind, p_pot,
           p_key, p_reference, p_actor, p_now
    where v_pot + o_delta >= 0 and o_balance + o_delta >= o_reserved and o_delta <> 0
    on conflict (idempotency_key) do nothing;
  if not found then
    o_outcome := case when exists (select 1 from credit_ledger where idempotency_key = p_key)
      then 'duplicate' else 'unchanged' end;
    return;
  end if;
  update credit_accounts set balance = balance + o_delta,
      purchased = purchased + case when p_pot = 'purchased' then o_delta else 0 end,
      updated_at = p_now
    where user_id = p_user_id
    returning balance, purchased into o_balance, o_purchased;
  insert into audit_events (tenant_id, actor_user_id, actor_label, action, subject_type, subject_id, data, ip, created_at)
    values (p_audit_tenant, p_actor, p_audit_actor_label, p_audit_action, 'user', p_user_id,
            coalesce(p_audit_data, '{}'::jsonb) || jsonb_build_object('pot', p_pot, 'delta', o_delta,
              'balance', o_balance, 'purchased', o_purchased), null, p_now);
  insert into member_events (user_id, kind, created_at) values (p_user_id, 'credits.changed', p_now);
  o_outcome := 'applied';
end $$;

-- The credits a refill policy gives a user: the highest activity grade reached (requests in the
-- day windows since p_since), else the base amount; `reset` brings the allowance up to it, `topup`
-- adds it up to the cap. Only the allowance (balance − purchased) counts (decision 015).
create or replace function tessera_refill_delta(
  p_user_id text, p_allowance bigint, p_amount bigint, p_strategy text, p_cap bigint,
  p_grades jsonb, p_since bigint)
returns bigint language sql stable as $$
  with amount as (
    select case when jsonb_array_length(p_grades) = 0 then p_amount else coalesce((
      select (g ->> 'amount')::bigint from jsonb_array_elements(p_grades) g
      where (select coalesce(sum(u.requests), 0) from usage_counters u
             where u.user_id = p_user_id and u."window" = 'day' and u.period_start >= p_since)
            >= (g ->> 'minRequests7d')::bigint
      order by (g ->> 'minRequests7d')::bigint desc limit 1), p_amount) end as value)
  select case when p_strategy = 'reset' then greatest(0, value - p_allowance)
              else greatest(0, least(value, p_cap - p_allowance)) end
  from amount
$$;

-- One user's on-demand refill for one mark and period (key `refill:<user>:<mark>:<period>`).
-- o_delta is null when the key was used before (or there is no account).
create or replace function tessera_refill_user(
  p_user_id text, p_mark_key text, p_key text, p_amount bigint, p_strategy text, p_cap bigint,
  p_grades jsonb, p_since bigint, p_now bigint, p_audit_data jsonb,
  out o_delta bigint)
language plpgsql as $$
#variable_conflict use_column
declare
  v_balance bigint;
  v_purchased bigint;
begin
  select balance, purchased into v_balance, v_purchased
    from credit_accounts where user_id = p_user_id for update;
  if not found then
    return;
  end if;
  o_delta := tessera_refill_delta(p_user_id, v_balance - v_purchased, p_amount, p_strategy, p_cap,
                                  p_grades, p_since);
  insert into credit_ledger (user_id, id, delta, balance_after, kind, idempotency_key, reference, created_at)
    values (p_user_id, nextval('credit_ledger_id_seq'), o_delta, v_balance + o_delta, 'refill',
            p_key, p_mark_key, p_now)
    on conflict (idempotency_key) do nothing;
  if not found then
    o_delta := null;
    return;
  end if;
  update credit_accounts set balance = balance + o_delta, updated_at = p_now where user_id = p_user_id;
  insert into audit_events (tenant_id, actor_user_id, actor_label, action, subject_type, subject_id, data, ip, created_at)
    values (null, null, null, 'credits.refilled', 'user', p_user_id,
            p_audit_data || jsonb_build_object('delta', o_delta), null, p_now);
  if o_delta <> 0 then
    insert into member_events (user_id, kind, mark_key, created_at)
      values (p_user_id, 'credits.changed', p_mark_key, p_now);
  end if;
end $$;

-- One batch of the scheduled refill: the next p_limit holders of the mark after p_after (up to
-- p_upto, inclusive, when given: workers take disjoint ranges), their accounts locked in user
-- order, one ledger row each (the key grants once per period), balances moved by the deltas the
-- insert returned. One statement, one transaction, one round trip.
create or replace function tessera_refill_batch(
  p_mark_id text, p_mark_key text, p_period bigint, p_after text, p_upto text, p_limit integer,
  p_amount bigint, p_strategy text, p_cap bigint, p_grades jsonb, p_since bigint, p_now bigint,
  out o_last text, out o_scanned integer, out o_refilled integer, out o_granted bigint)
language sql as $$
  with holders as (
    select user_id from memberships
    where mark_id = p_mark_id and (expires_at is null or expires_at > p_now) and user_id > p_after
      and (p_upto is null or user_id <= p_upto)
    order by user_id limit p_limit),
  -- `= any(array(…))`: an index lookup per holder (an `in (select …)` was planned as a scan).
  locked as (
    select a.user_id, a.balance, a.purchased from credit_accounts a
    where a.user_id = any(array(select user_id from holders))
    order by a.user_id for update),
  -- Without grades the delta is tessera_refill_delta's formula written out: a function call per
  -- row (not inlined: its body has a subquery) doubled the batch's time.
  deltas as (
    select l.user_id, l.balance,
           case when jsonb_array_length(p_grades) > 0
             then tessera_refill_delta(l.user_id, l.balance - l.purchased, p_amount, p_strategy,
                                       p_cap, p_grades, p_since)
             when p_strategy = 'reset' then greatest(0, p_amount - (l.balance - l.purchased))
             else greatest(0, least(p_amount, p_cap - (l.balance - l.purchased))) end as delta
    from locked l),
  granted as (
    insert into credit_ledger (user_id, id, delta, balance_after, kind, idempotency_key, reference, created_at)
      select d.user_id, nextval('credit_ledger_id_seq'), d.delta, d.balance + d.delta, 'refill',
             'refill:' || d.user_id || ':' || p_mark_id || ':' || p_period, p_mark_key, p_now
      from deltas d order by d.user_id
    on conflict (idempotency_key) do nothing
    returning user_id, delta),
  moved as (
    update credit_accounts a set balance = a.balance + g.delta, updated_at = p_now
    from granted g where a.user_id = g.user_id and g.delta <> 0
    returning 1)
  select (select max(user_id) from holders), (select count(*)::integer from holders),
         (select count(*)::integer from granted where delta <> 0),
         (select coalesce(sum(delta), 0)::bigint from granted)
$$;
